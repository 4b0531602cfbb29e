"""Generated files (exports, PDFs, calendars) answered as downloads."""

from __future__ import annotations

import io
from urllib.parse import quote

from flask import Response, send_file

# What RFC 5987 leaves unencoded in an extended value besides letters and digits (as
# send_file's own encoding does).
ATTR_CHARS = "!#$&+-.^_`|~"


def download(
    content: bytes | str,
    mimetype: str,
    filename: str,
    *,
    ascii_name: str | None = None,
    etag: str | None = None,
) -> Response:
    """`content` as a file to save under `filename`: Flask's `send_file` writes the
    Content-Disposition (with RFC 6266's encoded form for a name outside ASCII) and the
    charset of a text type; text is sent as UTF-8. With `etag` (a stored file's digest) the
    answer is conditional: a client that holds that version gets 304 (Werkzeug's
    `make_conditional`, which `send_file` calls).

    `ascii_name` is the plain `filename=` for clients that do not read the encoded form when
    `filename` is not ASCII: send_file would keep only the name's ASCII characters there
    (".docx" for a Russian or Kazakh name)."""
    data = content.encode() if isinstance(content, str) else content
    response = send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=filename,
        etag=etag if etag is not None else True,
    )
    if ascii_name is not None and not filename.isascii():
        encoded = {"filename*": f"UTF-8''{quote(filename, safe=ATTR_CHARS)}"}
        response.headers.set("Content-Disposition", "attachment", filename=ascii_name, **encoded)
    return response


def spreadsheet_safe(value: str) -> str:
    """Keep spreadsheet programs from reading a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
