"""Home (my workspaces and datasets, with my progress and the team's) and my profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import ApiKey
from apps.annotation.progress import datasets_progress
from apps.annotation.web.selectors import my_progress_by_dataset
from apps.datasets.models import DatasetStatus
from apps.workspaces.access import datasets_for, workspaces_for


@login_required
def home(request):
    """Three queries whatever the number of datasets: datasets, their records, my answers."""
    datasets = list(
        datasets_for(request.user)
        .filter(status=DatasetStatus.READY)
        .select_related("workspace")
        .order_by("workspace__name", "name")
    )
    ids = [d.pk for d in datasets]
    team = datasets_progress(ids)
    mine = my_progress_by_dataset(request.user, ids)
    workspaces: dict = {}
    for dataset in datasets:
        workspaces.setdefault(dataset.workspace, []).append(
            {"dataset": dataset, "team": team[dataset.pk], "mine": mine[dataset.pk]}
        )
    return render(request, "annotation/home.html", {"workspaces": workspaces})


@login_required
def profile(request):
    context = {
        "api_keys": ApiKey.objects.filter(user=request.user).order_by("-inserted_at"),
        "workspaces": workspaces_for(request.user).order_by("name"),
        "new_key": request.session.pop("new_api_key", None),
    }
    return render(request, "annotation/profile.html", context)


@login_required
@require_POST
def rotate_api_key(request):
    """Replace every key of mine with a new one, shown once on the next page."""
    with transaction.atomic():
        ApiKey.objects.filter(user=request.user).delete()
        _key, clear = ApiKey.issue(user=request.user, name="web")
    request.session["new_api_key"] = clear
    messages.success(request, _("Your new API key is shown below, once. Old keys stop working."))
    return redirect("annotation:profile")
