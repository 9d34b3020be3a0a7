"""Full-text search: words, English stems, CJK text, ranking, one field, never field names;
kept right when fields change. Through the API's search and the shared query builder."""

import pytest
from django.db import connection

from apps.datasets import services as dataset_services
from apps.records.models import Record
from apps.records.query import RecordQuery
from apps.records.services import create_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def ds(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    dataset_services.add_metadata_property(dataset=dataset, name="n", settings={"type": "integer"})
    return dataset


def add(ds, *prompts, response="plain answer"):
    create_records(
        dataset=ds,
        items=[
            {
                "external_id": f"r{i}",
                "fields": {"prompt": p, "response-1": response, "response-2": "other"},
                "metadata": {"n": i},
            }
            for i, p in enumerate(prompts)
        ],
    )


def found(ds, text, field=None) -> list[str]:
    hits, total = RecordQuery(ds, text=text, text_field=field).page(0, 50)
    assert total == len(hits)
    return [record.external_id for record, _score in hits]


def search(client, ds, q, field=None, **params):
    body = {"query": {"text": {"q": q, "field": field}, "vector": None}, "filters": None}
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(
        f"/api/v1/datasets/{ds.id}/records/search", body, format="json", QUERY_STRING=query
    )


def test_every_word_must_match_in_any_case(ds):
    add(ds, "Hello brave world", "hello there", "a WORLD apart")
    assert found(ds, "hello WORLD") == ["r0"]
    assert sorted(found(ds, "world")) == ["r0", "r2"]
    assert found(ds, "nothing-like-this") == []


def test_english_stemming_finds_other_forms(ds):
    add(ds, "I run every day", "She was running late", "Cats sleep", "nothing here")
    assert sorted(found(ds, "running")) == ["r0", "r1"]
    assert sorted(found(ds, "runs")) == ["r0", "r1"]
    assert found(ds, "cat") == ["r2"]


def test_words_as_written_match_stop_words_and_other_languages(ds):
    add(ds, "To be or not to be", "Les chats dorment", "something else")
    assert found(ds, "to be") == ["r0"]  # English stop words only: the 'simple' analysis
    assert found(ds, "chats dorment") == ["r1"]


def test_chinese_and_japanese_text_is_found_inside_longer_runs(ds):
    add(ds, "我们都喜欢机器学习和深度学习", "東京タワーに行きました", "学生在机场", "plain")
    assert found(ds, "机器学习") == ["r0"]
    assert found(ds, "深度学习") == ["r0"]
    assert sorted(found(ds, "学习")) == ["r0"]
    assert found(ds, "タワー") == ["r1"]
    assert found(ds, "机场") == ["r2"]
    assert found(ds, "器机") == []  # characters in the wrong order
    assert found(ds, "东京") == []  # simplified 东 is not 東
    assert sorted(found(ds, "机")) == ["r0", "r2"]  # one character: the bigrams it starts


def test_field_names_and_json_never_match(ds):
    add(ds, "a question about the weather")
    assert found(ds, "prompt") == []  # a field's name
    assert found(ds, "response") == []
    assert found(ds, "weather") == ["r0"]


def test_search_in_one_field(ds):
    add(ds, "alpha beta", response="gamma")
    assert found(ds, "gamma") == ["r0"]
    assert found(ds, "gamma", field="prompt") == []
    assert found(ds, "gamma", field="response-1") == ["r0"]
    assert found(ds, "alpha", field="prompt") == ["r0"]


def test_results_are_ranked_by_relevance_with_a_real_score(api, world, ds):
    add(
        ds,
        "a note that mentions the ocean once among many other words of text",
        "ocean ocean ocean: the ocean is deep",
        "no match at all",
        "the ocean and the ocean floor",
    )
    answer = search(api(world.owner), ds, "ocean")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [i["record"]["external_id"] for i in items] == ["r1", "r3", "r0"]
    scores = [i["query_score"] for i in items]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0 and scores[0] > scores[-1]
    assert answer.json()["total"] == 3


def test_an_explicit_sort_wins_over_relevance(api, world, ds):
    add(ds, "sea", "sea sea sea sea", "sea sea")
    body = {
        "query": {"text": {"q": "sea", "field": None}},
        "sort": [{"scope": {"entity": "metadata", "metadata_property": "n"}, "order": "asc"}],
    }
    answer = api(world.owner).post(f"/api/v1/datasets/{ds.id}/records/search", body, format="json")
    assert [i["record"]["external_id"] for i in answer.json()["items"]] == ["r0", "r1", "r2"]
    assert all(i["query_score"] > 0 for i in answer.json()["items"])


def test_ranked_pages_follow_each_other_and_a_sort_in_either_direction(api, world, ds):
    add(ds, *[" ".join(["tide"] * (1 + i % 3)) for i in range(7)], "no match")
    url = f"/api/v1/datasets/{ds.id}/records/search"
    text = {"q": "tide", "field": None}
    pages = [
        api(world.owner).post(
            f"{url}?limit=3&offset={offset}", {"query": {"text": text}}, format="json"
        )
        for offset in (0, 3, 6)
    ]
    ranked = [i["record"]["external_id"] for page in pages for i in page.json()["items"]]
    # More occurrences first; equal scores in insertion order.
    assert ranked == ["r2", "r5", "r1", "r4", "r0", "r3", "r6"]
    assert [page.json()["total"] for page in pages] == [7, 7, 7]
    body = {
        "query": {"text": text},
        "sort": [{"scope": {"entity": "metadata", "metadata_property": "n"}, "order": "desc"}],
    }
    by_record = {"entity": "record", "property": "external_id"}
    for sort in ([{"scope": by_record, "order": "desc"}], body["sort"]):
        answer = api(world.owner).post(
            f"{url}?limit=2&offset=1", {**body, "sort": sort}, format="json"
        )
        assert [i["record"]["external_id"] for i in answer.json()["items"]] == ["r5", "r4"]
        assert answer.json()["total"] == 7


def test_a_text_page_past_the_last_match_keeps_the_total(api, world, ds):
    add(ds, "wave", "wave wave", "calm")
    answer = search(api(world.owner), ds, "wave", offset=5)
    assert answer.status_code == 200
    assert answer.json() == {"items": [], "total": 2}


def test_a_blank_query_matches_everything_unscored(api, world, ds):
    add(ds, "one", "two")
    answer = search(api(world.owner), ds, "   ")
    assert answer.json()["total"] == 2
    assert [i["query_score"] for i in answer.json()["items"]] == [None, None]


def test_text_and_filters_combine_and_total_stays_right(api, world, ds):
    add(ds, *[f"common word number {i}" for i in range(8)], "rare")
    body = {
        "query": {"text": {"q": "common", "field": None}},
        "filters": {
            "and": [
                {
                    "type": "range",
                    "ge": 2,
                    "le": 5,
                    "scope": {"entity": "metadata", "metadata_property": "n"},
                }
            ]
        },
    }
    url = f"/api/v1/datasets/{ds.id}/records/search"
    answer = api(world.owner).post(url + "?limit=2", body, format="json")
    assert answer.json()["total"] == 4 and len(answer.json()["items"]) == 2


def test_the_search_vector_follows_field_changes(ds):
    add(ds, "before the change")
    Record.objects.filter(dataset=ds).update(
        fields={"prompt": "after it", "response-1": "x", "response-2": "y"}
    )
    assert found(ds, "before") == []
    assert found(ds, "after") == ["r0"]


def test_the_index_serves_text_queries(ds):
    add(ds, *[f"filler text {i}" for i in range(300)], "needle")
    with connection.cursor() as cursor:
        # On a table this small the planner may reach the dataset's rows through another
        # index and filter them; take those away (this test's transaction rolls it back) to
        # see that the builder's condition is one the GIN index serves.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # DDL refuses pending FK checks
        cursor.execute("ALTER TABLE records_record DROP CONSTRAINT uniq_record_external_id")
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'records_record' "
            "AND indexname NOT IN ('records_record_pkey', 'record_search_gin')"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("ANALYZE records_record")
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = RecordQuery(ds, text="needle").matching().query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "record_search_gin" in plan, plan


def test_search_query_count_does_not_grow_with_the_page(api, world, ds, django_assert_num_queries):
    add(ds, *[f"shared word {i}" for i in range(60)])
    client = api(world.owner)
    search(client, ds, "shared")  # warm up: content types, caches
    for limit in (1, 50):
        # key with its user, the user's rate budget (cache read, write), dataset access,
        # fields, questions, metadata properties, vector settings, the page's ids and scores
        # with the total (one read of the matches), its records, its responses.
        with django_assert_num_queries(11):
            answer = search(client, ds, "shared", limit=limit, include="responses")
        assert len(answer.json()["items"]) == limit


def test_a_record_deleted_between_the_page_and_its_records_is_left_out(ds):
    add(ds, "gull", "gull gull", "gull gull gull")

    def delete_after_ranking(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "OVER ()" in sql:  # the ranked ids are read: another request deletes one
            with connection.connection.cursor() as other:
                other.execute("DELETE FROM records_record WHERE external_id = 'r1'")
        return result

    with connection.execute_wrapper(delete_after_ranking):
        hits, total = RecordQuery(ds, text="gull").page(0, 10)
    assert [record.external_id for record, _score in hits] == ["r2", "r0"]
    assert total == 3  # counted before the deletion
