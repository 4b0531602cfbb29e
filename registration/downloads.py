"""Generated files (exports, PDFs, calendars) answered as downloads."""

from __future__ import annotations

import io

from flask import Response, send_file


def download(
    content: bytes | str, mimetype: str, filename: str, *, etag: str | None = None
) -> Response:
    """`content` as a file to save under `filename`: Flask's `send_file` writes the
    Content-Disposition (with RFC 6266's encoded form for a name outside ASCII) and the
    charset of a text type; text is sent as UTF-8. With `etag` (a stored file's digest) the
    answer is conditional: a client that holds that version gets 304 (Werkzeug's
    `make_conditional`, which `send_file` calls)."""
    data = content.encode() if isinstance(content, str) else content
    return send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=filename,
        etag=etag if etag is not None else True,
    )
