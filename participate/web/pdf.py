"""PDFs made from our own HTML with WeasyPrint: storybooks, closure letters. Nothing is
fetched while a PDF is made: its template carries its own CSS."""

from __future__ import annotations

from flask import make_response


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class _NothingFetched(URLFetcher):
        """The PDF is made from its own HTML and CSS alone: nothing is fetched, ever."""

        def fetch(self, url, headers=None):
            raise ValueError(f"PDFs fetch nothing: {url}")

    return HTML(string=html, base_url="about:blank", url_fetcher=_NothingFetched()).write_pdf()


def pdf_response(html: str, filename: str):
    """A PDF of ``html`` to download as ``filename``, never kept by a shared cache."""
    response = make_response(html_to_pdf(html))
    response.mimetype = "application/pdf"
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
