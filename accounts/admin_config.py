"""Django's admin app, with the site's own AdminSite (Django's documented way to swap it).

A module of its own: INSTALLED_APPS imports it before any model can be.
"""

from django.contrib.admin.apps import AdminConfig


class SiteAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.SiteAdmin"
