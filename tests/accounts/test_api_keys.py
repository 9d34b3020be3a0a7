from apps.accounts.models import ApiKey, Role


def test_key_lookup_by_hash(world):
    api_key, clear = ApiKey.issue(user=world.ann1)
    assert clear.startswith("loam_") and len(clear) > 30
    assert api_key.prefix == clear[:8]
    assert clear not in (api_key.hashed_key, api_key.name)
    assert ApiKey.find_user(clear) == world.ann1
    assert ApiKey.find_user(clear + "x") is None
    assert ApiKey.find_user("") is None


def test_inactive_users_keys_stop_working(world):
    _, clear = ApiKey.issue(user=world.ann2)
    world.ann2.is_active = False
    world.ann2.save()
    assert ApiKey.find_user(clear) is None


def test_role_drives_admin_flags(make_user):
    user = make_user(role=Role.ANNOTATOR)
    assert (user.is_staff, user.is_superuser) == (False, False)
    user.role = Role.ADMIN
    user.save()
    assert (user.is_staff, user.is_superuser) == (True, False)
    user.role = Role.OWNER
    user.save()
    assert (user.is_staff, user.is_superuser) == (True, True)
