"""Home (my workspaces and datasets, with my progress and the team's) and my profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import services as accounts
from apps.accounts.models import ApiKey
from apps.annotation.progress import datasets_progress
from apps.annotation.web.selectors import my_progress_by_dataset
from apps.core.errors import ValidationFailed
from apps.datasets.access import datasets_for
from apps.datasets.models import DatasetStatus
from apps.workspaces.access import workspaces_for


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
        "languages": settings.LANGUAGES,
        "api_keys": ApiKey.objects.filter(user=request.user).order_by("-inserted_at"),
        "workspaces": workspaces_for(request.user).order_by("name"),
        "new_key": request.session.pop("new_api_key", None),
    }
    return render(request, "annotation/profile.html", context)


@login_required
@require_POST
def rotate_api_key(request):
    """Replace every key of mine with a new one, shown once on the next page."""
    _key, clear = accounts.issue_api_key(user=request.user, name="web", revoke_others=True)
    request.session["new_api_key"] = clear
    messages.success(request, _("Your new API key is shown below, once. Old keys stop working."))
    return redirect("annotation:profile")


@require_POST
@transaction.atomic
def set_language(request):
    """Switch the interface language: kept on the user, and in a cookie for the login page."""
    language = request.POST.get("language", "")
    try:
        accounts.check_language(language)
        if request.user.is_authenticated:
            accounts.set_language(user=request.user, language=language)
    except ValidationFailed as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "annotation:home"
    response = redirect(target)
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
            samesite="Lax",
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response
