"""The firm's clients at a glance: the dashboard, the portfolio and its exports."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import consultant_required
from accounts.permissions import firm_clients
from action_plans.selectors import most_overdue_actions
from assessments.selectors import active_framework

from .. import charts, exports
from ..forms import DashboardForm
from ..portfolio import portfolio_summary, portfolio_table
from ..selectors import (
    apply_dashboard_query,
    client_rows,
    framework_pillars,
    present_rows,
    rows_in_order,
    sort_fields,
)

CLIENTS_PER_PAGE = 50


def _pillars():
    return framework_pillars(active_framework())


# --- Dashboard and portfolio -----------------------------------------------------


@require_GET
@consultant_required
def dashboard(request):
    pillars = _pillars()
    pillar_keys = [p.key for p in pillars]
    form = DashboardForm(request.GET, pillar_keys=pillar_keys)
    query = form.query()
    clients = firm_clients(request.user)
    rows = apply_dashboard_query(client_rows(clients, pillar_keys), query, pillar_keys)
    # Sort and page on ids alone, so the database computes only what the order and
    # filters need for every client; the full row is then read for the page's 50.
    paginator = Paginator(rows.values_list("pk", flat=True), CLIENTS_PER_PAGE)
    requested_page = request.GET.get("page", "")
    page = paginator.get_page(requested_page)
    page_notice = ""
    if requested_page and requested_page != str(page.number):
        page_notice = (
            f"There is no page “{requested_page[:20]}” of this list; "
            f"showing page {page.number} of {paginator.num_pages}."
        )
    client_list = present_rows(
        rows_in_order(clients, list(page.object_list), pillar_keys), pillar_keys
    )
    columns = _columns(pillars, query.sort)
    filtered = bool(query.q or query.sector or query.maturity or query.status or query.plan)
    return render(
        request,
        "pages/consultants/dashboard.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "page_notice": page_notice,
            "rows": client_list,
            "pillars": pillars,
            "columns": columns,
            "sort_label": next(
                (f"{c['label'].lower()} ({c['aria_sort']})" for c in columns if c["active"]), ""
            ),
            "filtered": filtered,
            "firm": request.firm_membership.firm,
            "total_clients": clients.count() if filtered else paginator.count,
        },
    )


def _columns(pillars, current_sort):
    """The sortable column headers: label, sort key, and the state for aria-sort."""
    labels = [
        ("name", "Organization"),
        ("sector", "Sector"),
        ("status", "Status"),
        ("score", "Overall"),
        ("maturity", "Maturity"),
        *((p.key, p.name.replace(" resilience", "")) for p in pillars),
        ("plan", "Plan"),
        ("overdue", "Overdue"),
        ("activity", "Last activity"),
    ]
    keys = sort_fields([p.key for p in pillars])
    columns = []
    for key, label in labels:
        if key not in keys:
            continue
        active = current_sort.lstrip("-") == key
        descending = current_sort.startswith("-")
        if active:
            aria, next_sort = ("descending", key) if descending else ("ascending", f"-{key}")
        else:
            # Names read A→Z first; scores and dates are most useful highest/latest first.
            aria, next_sort = "none", key if key in ("name", "sector") else f"-{key}"
        columns.append(
            {
                "key": key,
                "label": label,
                "aria_sort": aria,
                "next_sort": next_sort,
                "active": active,
                "numeric": key not in ("name", "sector", "status", "maturity", "activity"),
            }
        )
    return columns


@require_GET
@consultant_required
def portfolio(request):
    pillars = _pillars()
    clients = firm_clients(request.user)
    rows = client_rows(clients, [p.key for p in pillars]).order_by("name")
    summary = portfolio_summary(rows, pillars)
    return render(
        request,
        "pages/consultants/portfolio.html",
        {
            "summary": summary,
            "pillars": pillars,
            "chart": charts.bar_chart(summary.maturity_distribution),
            "overdue_actions": most_overdue_actions(clients),
            "firm": request.firm_membership.firm,
        },
    )


@require_GET
@consultant_required
def portfolio_export(request, fmt):
    """The dashboard's clients (with its filters and sort, when given) as CSV or XLSX."""
    pillars = _pillars()
    pillar_keys = [p.key for p in pillars]
    query = DashboardForm(request.GET, pillar_keys=pillar_keys).query()
    rows = apply_dashboard_query(
        client_rows(firm_clients(request.user), pillar_keys), query, pillar_keys
    )
    table = portfolio_table(present_rows(list(rows), pillar_keys), pillars)
    firm = request.firm_membership.firm
    filename = f"{firm.slug}-portfolio-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return exports.csv_response(table, filename=filename)
    return exports.xlsx_response(table, filename=filename, sheet="Portfolio")
