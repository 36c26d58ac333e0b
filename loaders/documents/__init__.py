"""Documents as researchers have them: PDF, DOCX, ODT and HTML reviews.

Each module extracts the document's text as Markdown lines with the place of each line
(page and line, paragraph, source line) and hands them to the review loader, so every
format gives the records the text would give. Importing this package registers them.
"""

from citegraph.loaders.documents import docx, html, odt, pdf

__all__ = ["docx", "html", "odt", "pdf"]
