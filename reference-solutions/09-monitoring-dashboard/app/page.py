"""The dashboard as HTML: server-rendered, readable with scripts off, every outside string escaped."""

from html import escape

from app.schemas import DashboardSummary, RouteSummary


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def milliseconds(value: float) -> str:
    return f"{value:.0f} ms"


def _row(route: RouteSummary) -> str:
    # Every value from outside the code goes through escape(): text and attribute values alike.
    return (
        f'<tr data-method="{escape(route.method)}" data-route="{escape(route.route)}">'
        f"<td>{escape(route.method)}</td><td><code>{escape(route.route)}</code></td>"
        f'<td class="requests">{route.requests}</td><td class="errors">{route.errors}</td>'
        f'<td class="error-rate">{percent(route.error_rate)}</td>'
        f'<td class="p50">{milliseconds(route.p50_ms)}</td><td class="p95">{milliseconds(route.p95_ms)}</td></tr>'
    )


def render(current: DashboardSummary) -> str:
    """The whole page, server-rendered: it reads the same with scripts off."""
    totals = current.totals
    rows = "\n".join(_row(route) for route in current.routes) or '<tr><td colspan="7">No requests yet.</td></tr>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sentiment service dashboard</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; }}
dl {{ display: grid; grid-template-columns: max-content auto; gap: .3rem 1.5rem; }}
dt {{ font-weight: 600; }}
table {{ border-collapse: collapse; margin-top: 1rem; }}
th, td {{ border: 1px solid #ccc; padding: .3rem .8rem; text-align: right; }}
th:nth-child(-n+2), td:nth-child(-n+2) {{ text-align: left; }}
thead {{ background: #f0f0f0; }}
</style>
</head>
<body>
<h1>Sentiment service</h1>
<section>
<h2>Model</h2>
<dl>
<dt>Active version</dt><dd id="model-version">{escape(current.model.version)}</dd>
<dt>Note</dt><dd id="model-note">{escape(current.model.note)}</dd>
</dl>
</section>
<section>
<h2>Traffic</h2>
<dl>
<dt>Requests</dt><dd id="total-requests">{totals.requests}</dd>
<dt>Errors (5xx)</dt><dd id="total-errors">{totals.errors}</dd>
<dt>Error rate</dt><dd id="total-error-rate">{percent(totals.error_rate)}</dd>
</dl>
<table id="routes">
<thead>
<tr><th>Method</th><th>Route</th><th>Requests</th><th>Errors</th><th>Error rate</th><th>p50</th><th>p95</th></tr>
</thead>
<tbody>
{rows}
</tbody>
</table>
</section>
</body>
</html>
"""
