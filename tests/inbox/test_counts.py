"""The counts page: monthly counts of the association's own requests, small counts hidden the
same way on the page, in the CSV file and in the charts."""

from __future__ import annotations

import csv
import io
import uuid

from sqlalchemy import text

from core.handover import Draft
from tests.inbox.test_pages import logged_in
from tests.support.inbox_client import shown


def requests(stores, association: str, form: str, count: int, minor: bool = False) -> None:
    for _ in range(count):
        draft = Draft(association, "anonymous", "ro", "13", form=form, minor=minor)
        stores.handovers.create("c" * 32, draft, uuid.uuid4().hex)


async def test_counts_hide_small_cells_everywhere_and_count_only_this_association(
    stores, browser, coordinator, clock
):
    requests(stores, "ccem", "labour", 8)
    requests(stores, "ccem", "domestic", 3, minor=True)
    requests(stores, "ccem", "begging", 1)
    requests(stores, "amicale_du_nid", "sexual", 9)  # another association's: never counted here
    await logged_in(browser, coordinator, clock)

    page = await browser.http.get("/counts")
    form_table = page.text.split('id="counts-form"')[1].split("</table>")[0]
    month = clock().strftime("%Y-%m")
    row = form_table.split(f'<th scope="row">{month}</th>')[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
    assert cells.count("8") == 1 and cells[-1] == "12", "labour 8 shown, total 12"
    assert "3" not in cells and "1" not in cells and "9" not in cells
    assert cells.count("&lt;5") == len(cells) - 2
    age_table = page.text.split('id="counts-age"')[1].split("</table>")[0]
    age_row = age_table.split(f'<th scope="row">{month}</th>')[1].split("</tr>")[0]
    assert "9" not in age_row and age_row.count("&lt;5") == 2 and "12" in age_row, (
        "minors 3 hidden, so adults 9 too: 12 - 9 would give the minors back"
    )
    assert shown("inbox.counts.explain")[:30] in page.text

    exported = await browser.http.get("/counts.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    by_form = {r[2]: r[3] for r in rows if r[1] == "form" and r[0] == month}
    assert by_form["labour"] == "8" and by_form["domestic"] == "<5" and by_form["begging"] == "<5"
    assert by_form["total"] == "12" and by_form["sexual"] == "<5"

    chart = await browser.http.get("/counts/form.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in chart.text and "<script" not in chart.text and "<style" not in chart.text
    assert (await browser.http.get("/counts/nothing.svg")).status_code == 404

    with stores.db.connect() as connection:
        actions = set(connection.execute(text("SELECT action FROM inbox_access_log")).scalars())
    assert {"counts", "export"} <= actions


async def test_counts_need_a_session(browser):
    for path in ("/counts", "/counts.csv"):
        assert str((await browser.http.get(path)).url).endswith("/login")
    assert (await browser.http.get("/counts/form.svg")).status_code == 403
