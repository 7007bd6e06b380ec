"""Authentication backend with lockout after repeated failed logins (登录失败锁定)."""

from django.contrib.auth.backends import ModelBackend

from sanxiang.accounts import services
from sanxiang.accounts.models import User


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses locked accounts and counts failures (admin and staff login)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        user = User.objects.filter(username=username).first() if username else None
        if user is not None and user.is_locked():
            if request is not None:
                request.sanxiang_locked_until = user.locked_until
            return None
        authenticated = super().authenticate(request, username=username, password=password, **kwargs)
        if authenticated is None:
            if user is not None:
                locked = services.login_failed(username=username)
                if request is not None and locked is not None and locked.is_locked():
                    request.sanxiang_locked_until = locked.locked_until
            return None
        services.login_succeeded(user=authenticated)
        return authenticated
