class ChineseByDefaultMiddleware:
    """The interface is Simplified Chinese unless the user chose another
    language with the switch (a cookie): a browser's Accept-Language alone
    does not change it, since bureau machines often run English systems."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
