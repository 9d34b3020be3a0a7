"""The self-test of `.ci/check_accessors.py` (run by `make lint`): it fails on a view that
turns an id into an object itself, passes on one that asks an accessor, and passes on the
code as it is."""

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / ".ci" / "check_accessors.py"


def _load_check():
    spec = importlib.util.spec_from_file_location("check_accessors", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _load_check()

HEADER = """\
from django.shortcuts import render
from rest_framework.views import APIView

from apps.records.models import Record, Suggestion
"""

# Each a realistic way for a view to skip the tenant filter.
BAD_VIEWS = {
    "objects.get": """
        def record_page(request, record_id):
            record = Record.objects.get(pk=record_id)
            return render(request, "record.html", {"record": record})
    """,
    "filter(pk=…).first()": """
        class RecordView(APIView):
            def get(self, request, record_id):
                return Record.objects.filter(pk=record_id).first()
    """,
    "an id from the body": """
        class RecordsView(APIView):
            def post(self, request):
                wanted = [i.strip() for i in request.data["ids"]]
                return list(Record.objects.filter(pk__in=wanted))
    """,
    "an id helper": """
        def _record(record_id):
            return Record.objects.filter(dataset__isnull=False, id=record_id).first()
    """,
    "get_object_or_404": """
        from django.shortcuts import get_object_or_404

        def record_page(request, record_id):
            return get_object_or_404(Record, pk=record_id)
    """,
    "_default_manager": """
        def record_page(request, record_id):
            return Record._default_manager.filter(pk=record_id).first()
    """,
    "in_bulk": """
        def records(request):
            return Record.objects.in_bulk(request.GET.getlist("id"))
    """,
    "children of an unchecked parent": """
        class SuggestionsView(APIView):
            def get(self, request, record_id):
                return Suggestion.objects.filter(record_id=record_id)
    """,
}

GOOD_VIEW = """
    from apps.datasets.access import access_dataset, datasets_for
    from apps.records.access import access_record, record_of

    class RecordView(APIView):
        def get(self, request, record_id):
            record = access_record(request.user, record_id)
            return Suggestion.objects.filter(record=record).order_by("inserted_at")

    def focus(request, dataset_id, record_id):
        dataset = access_dataset(request.user, dataset_id, need="annotate")
        record = record_of(dataset, record_id)
        mine = Record.objects.filter(dataset=dataset, responses__user=request.user)
        return render(request, "focus.html", {"record": record, "mine": mine})

    def datasets(request):
        wanted = request.GET.get("workspace_id")
        return datasets_for(request.user).filter(workspace_id=wanted)
"""


def _write(root: Path, relative: str, body: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + textwrap.dedent(body))
    return path


@pytest.mark.parametrize("body", BAD_VIEWS.values(), ids=BAD_VIEWS.keys())
def test_check_fails_on_a_view_that_turns_an_id_into_an_object(tmp_path, body, capsys):
    _write(tmp_path, "apps/demo/api/views.py", body)
    assert check.main([str(tmp_path)]) == 1
    assert "use the app's access.py" in capsys.readouterr().out


def test_check_passes_on_a_view_that_asks_the_accessors(tmp_path):
    path = _write(tmp_path, "apps/demo/web/views.py", GOOD_VIEW)
    assert check.check_file(path) == []


def test_faces_are_checked_and_accessor_modules_are_exempt(tmp_path):
    bad = BAD_VIEWS["filter(pk=…).first()"]
    for face in ("apps/demo/views.py", "apps/demo/web/selectors.py", "apps/demo/api/render.py"):
        assert check.check_file(_write(tmp_path, face, bad)), face
    assert check.check_file(_write(tmp_path, "apps/demo/access.py", bad)) == []
    assert check.check_file(_write(tmp_path, "apps/demo/services.py", bad)) == []


def test_check_passes_on_the_code():
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
