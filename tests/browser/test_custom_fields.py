"""Custom fields: the dataset's template renders the record's values in a sandboxed frame,
sized to its content; a template cannot read the page, its cookies or the network."""

import pytest

from apps.datasets import services as dataset_services
from apps.datasets.demo import seed_demo
from apps.records.services import create_records
from tests.browser.test_annotator_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The kinds of templates Argilla's custom-field guide shows: a tool call and a RAG context.
TOOL_CALL = """
<div class="call">
  <div><strong>{{record.fields.tool_call.name}}</strong></div>
  {{#each record.fields.tool_call.arguments}}<div class="arg">{{@key}} = {{this}}</div>{{/each}}
  <pre>{{json record.fields.tool_call.result}}</pre>
</div>
"""
RAG = """
<ol>{{#each record.fields.context.documents}}
  <li><strong>{{title}}</strong> ({{score}}): {{text}}</li>
{{/each}}</ol>
"""
SNOOP = """
<div id="out">pending</div>
<img src="{base}/static/css/loam.css?img" alt="">
<script>
  const seen = [];
  try { seen.push("parent:" + parent.document.title); } catch (e) { seen.push("parent blocked"); }
  try { seen.push("cookie:" + document.cookie); } catch (e) { seen.push("cookie blocked"); }
  try { seen.push("storage:" + localStorage.length); } catch (e) { seen.push("storage blocked"); }
  fetch("{base}/static/css/loam.css?fetch")
    .then(() => seen.push("network open"), () => seen.push("network blocked"))
    .finally(() => {
      seen.push(record.fields.secret.note);
      document.getElementById("out").textContent = seen.join(" | ");
    });
</script>
"""


def custom_dataset(workspace, name, fields):
    dataset = dataset_services.create_dataset(workspace=workspace, name=name)
    for field_name, template, advanced in fields:
        dataset_services.add_field(
            dataset=dataset,
            name=field_name,
            settings={"type": "custom", "template": template, "advanced_mode": advanced},
        )
    dataset_services.add_question(
        dataset=dataset,
        name="ok",
        settings={"type": "label_selection", "options": [{"value": "yes"}, {"value": "no"}]},
    )
    return dataset_services.publish_dataset(dataset=dataset)


def test_tool_call_and_rag_templates_render_their_values(live_server, page, artifacts):
    demo, _added = seed_demo()
    dataset = custom_dataset(
        demo.workspace, "agents", [("tool_call", TOOL_CALL, False), ("context", RAG, False)]
    )
    create_records(
        dataset=dataset,
        items=[
            {
                "fields": {
                    "tool_call": {
                        "name": "get_weather",
                        "arguments": {"city": "Paris", "unit": "celsius"},
                        "result": {"temperature": 18},
                    },
                    "context": {
                        "documents": [
                            {"title": "Doc A", "score": 0.91, "text": "Paris is in France."},
                            {"title": "Doc B", "score": 0.42, "text": "<b>not bold</b>"},
                        ]
                    },
                }
            }
        ],
    )
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/datasets/{dataset.pk}/annotate")
    call = page.frame_locator("iframe[data-custom-field=tool_call]")
    assert call.locator("strong").inner_text() == "get_weather"
    assert call.locator(".arg").all_inner_texts() == ["city = Paris", "unit = celsius"]
    assert '"temperature": 18' in call.locator("pre").inner_text()
    rag = page.frame_locator("iframe[data-custom-field=context]")
    assert rag.locator("li").all_inner_texts() == [
        "Doc A (0.91): Paris is in France.",
        "Doc B (0.42): <b>not bold</b>",  # values are escaped, not markup
    ]
    # sized to its content, not the 150 px of a bare frame
    page.wait_for_function(
        "document.querySelector('iframe[data-custom-field=context]').style.height !== ''"
    )
    height = page.locator("iframe[data-custom-field=context]").bounding_box()["height"]
    assert 40 < height < 140
    page.screenshot(path=str(artifacts / "custom-fields.png"), full_page=True)


def test_a_template_cannot_reach_the_page_cookies_or_network(live_server, page):
    demo, _added = seed_demo()
    snoop = SNOOP.replace("{base}", live_server.url)
    dataset = custom_dataset(demo.workspace, "snoop", [("secret", snoop, True)])
    create_records(dataset=dataset, items=[{"fields": {"secret": {"note": "rendered"}}}])
    log_in(page, live_server.url)
    requested = []
    page.on("requestfinished", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/datasets/{dataset.pk}/annotate")
    out = page.frame_locator("iframe[data-custom-field=secret]").locator("#out")
    out.filter(has_text="rendered").wait_for()
    assert out.inner_text() == (
        "parent blocked | cookie blocked | storage blocked | network blocked | rendered"
    )
    assert not [url for url in requested if "?fetch" in url or "?img" in url]


def test_a_frame_that_loads_before_the_page_script_is_still_sized(live_server, page):
    """The frames report their height on load; when the page's script starts after that
    (here it is held back until the frame has rendered), it asks them again."""
    demo, _added = seed_demo()
    dataset = custom_dataset(demo.workspace, "late", [("context", RAG, False)])
    documents = [{"title": f"Doc {n}", "score": 0.5, "text": "Text."} for n in range(6)]
    create_records(dataset=dataset, items=[{"fields": {"context": {"documents": documents}}}])
    log_in(page, live_server.url)
    held = []
    page.route("**/js/custom_fields*.js", lambda route: held.append(route))
    page.goto(f"{live_server.url}/datasets/{dataset.pk}/annotate", wait_until="commit")
    page.frame_locator("iframe[data-custom-field=context]").locator("li").nth(5).wait_for()
    page.wait_for_function("() => true")  # let the frame's load-time report go by
    assert held, "the page did not ask for custom_fields.js"
    held[0].continue_()

    page.wait_for_function(
        "document.querySelector('iframe[data-custom-field=context]').style.height !== ''"
    )
    height = page.locator("iframe[data-custom-field=context]").bounding_box()["height"]
    assert height > 150  # six documents: taller than a bare frame's 150 px
