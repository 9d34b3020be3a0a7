from allauth.account.adapter import DefaultAccountAdapter


class ClosedSignupAccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: organization admins create users."""

    def is_open_for_signup(self, request):
        return False
