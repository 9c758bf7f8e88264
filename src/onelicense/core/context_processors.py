from django.http import HttpRequest

LARGE_TEXT_COOKIE = "large_text"


def display(request: HttpRequest) -> dict[str, bool]:
    """The large-text mode (适老化) is a cookie so that it holds on every page without JS."""
    return {"large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"}
