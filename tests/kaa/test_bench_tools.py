"""The bench's own instruments: the query-count header and the percentiles it prints."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from kaa.bench.driver import _percentile, last_half_year
from kaa.bench.middleware import HEADER, QueryCountMiddleware
from registry.models import Municipality


def test_the_header_counts_the_queries_of_the_request(db):
    def view(request):
        Municipality.objects.count()
        list(Municipality.objects.all())
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response[HEADER] == "2"


def test_nearest_rank_percentiles():
    samples = [float(n) for n in range(1, 21)]  # 1..20
    assert _percentile(samples, 50) == 10.0
    assert _percentile(samples, 95) == 19.0
    assert _percentile([5.0], 95) == 5.0
    assert _percentile([], 95) == 0.0


def test_the_reported_half_year_is_the_last_one_that_ended():
    import datetime

    assert last_half_year(datetime.date(2026, 12, 2)) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 6, 30),
    )
    assert last_half_year(datetime.date(2027, 3, 1)) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 12, 31),
    )
