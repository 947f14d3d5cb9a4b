from accounts.services import user_create


def make_user(username: str, role: str, password: str = "pw-for-tests-123"):
    return user_create(username=username, role=role, password=password)
