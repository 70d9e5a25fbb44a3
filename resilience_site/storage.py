"""Static files in production: WhiteNoise's compressed, hashed files, with URLs remembered."""

from __future__ import annotations

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Each static file's hashed URL is worked out once per process, then remembered.

    Every page asks for the same handful of URLs (stylesheets, scripts, the
    icon), and Django works each out afresh (split, hash lookup, join,
    unquote): 12 microseconds apiece, a few percent of a questionnaire page.
    The manifest cannot change while the process runs (a deploy restarts
    it), so the answer cannot go stale. A name the manifest lacks still
    raises every time; nothing is remembered for it.
    """

    # Names come from templates, so there are few; the bound is a safety net.
    MAX_REMEMBERED = 512

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        remembered = self.__dict__.setdefault("_remembered_urls", {})
        url = remembered.get(name)
        if url is None:
            url = super().url(name)
            if len(remembered) >= self.MAX_REMEMBERED:
                remembered.clear()
            remembered[name] = url
        return url
