"""The "Export" action reaches the dataset list through the dataset admin's hook."""

import pytest
from django.contrib import admin
from django.urls import reverse

from apps.datasets.admin import DatasetAdmin
from apps.datasets.models import Dataset
from apps.exports.admin import export_datasets


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_dataset_list_offers_the_export_action(client, world, make_dataset, who):
    make_dataset(world.ws_a)
    client.force_login(getattr(world, who))

    page = client.get(reverse("admin:datasets_dataset_changelist"))

    choices = dict(page.context["action_form"].fields["action"].choices)
    assert set(choices) >= {"export_datasets", "publish", "delete_selected"}


def test_the_hook_adds_an_action_once():
    before = DatasetAdmin.actions

    DatasetAdmin.add_action(export_datasets)

    assert DatasetAdmin.actions == before
    assert before.count(export_datasets) == 1
    assert admin.site.get_model_admin(Dataset).actions == before  # the registered admin's
