"""Reading uploaded files as a person expects: text files (invitation lists, meeting reports)
and documents (PDF, DOCX; see `read_document`).

The size is limited for the whole request (`UPLOAD_MAX_MB`, a 413 page; see
`registration.web`). Here: the encoding is found (a byte-order mark, else UTF-8, else
charset-normalizer's best guess among the code pages spreadsheets write in the member
states), a file that is no text is refused in words, and CSV rows come with the line they
start on, so every problem reads "line N: what is wrong". Nothing here writes: a refused
file leaves no trace.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import zipfile
from dataclasses import dataclass

from charset_normalizer import from_bytes
from flask_babel import gettext

from registration.i18n import N_
from registration.input_policy import control_in_line

log = logging.getLogger(__name__)

# Windows "ANSI" code pages and the East Asian encodings Excel's plain "CSV" writes in the
# member states, and UTF-16 without a byte-order mark. Guessing among all of
# charset-normalizer's encodings reads Western European files as Baltic or Urdu ones.
CANDIDATE_ENCODINGS = (
    "cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "cp1258", "cp874", "gb18030", "big5", "cp932", "cp949", "utf_16_le", "utf_16_be",
)  # fmt: skip
ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "utf_16": "UTF-16",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1252": "Windows-1252 (Western European)",
}
# What an uploaded list turns out to be instead of CSV text, as whole marked sentences.
NOT_CSV = {
    b"PK\x03\x04": N_(
        "This file is an Excel workbook or another zipped document, not a CSV text file."
    ),
    b"\xd0\xcf\x11\xe0": N_(
        "This file is an old Excel (.xls) or Word document, not a CSV text file."
    ),
    b"%PDF": N_("This file is a PDF document, not a CSV text file."),
}
SAVE_AS_CSV = N_("In Excel choose File > Save As > “CSV UTF-8”, then upload that file.")
FRIENDLIER_CSV_ERRORS = {
    "new-line character seen in unquoted field": N_("a line break inside a cell without quotes"),
    "field larger than field limit": N_("a cell is longer than 131,072 characters"),
    "unexpected end of data": N_("a quoted cell is not closed"),
    "' expected after '\"'": N_("text follows the closing quote of a cell"),
}


class UploadError(ValueError):
    """A file we cannot read; the message says why and what to do: in English as str(error)
    (logs, and the callers that show it so), in the page's language by `translated()` (every
    message is marked, with its values and the advice as a sentence of its own)."""

    def __init__(self, message: str, *, advice: str = "", **values: object) -> None:
        english = message % values if values else message
        super().__init__(f"{english} {advice}" if advice else english)
        self.message = message
        self.advice = advice
        self.values = values

    def translated(self) -> str:
        values = {k: gettext(v) if k == "problem" else v for k, v in self.values.items()}
        said = gettext(self.message, **values)
        return f"{said} {gettext(self.advice)}" if self.advice else said


@dataclass(frozen=True)
class Text:
    """An uploaded file's text and the encoding it was read in (a name a person knows)."""

    content: str
    encoding: str


def read_text(data: bytes) -> Text:
    """The text of an uploaded file, or UploadError saying why it cannot be read."""
    for signature, refusal in NOT_CSV.items():
        if data.startswith(signature):
            raise UploadError(refusal, advice=SAVE_AS_CSV)
    if data.startswith(codecs.BOM_UTF8):
        return _decoded(data, "utf_8_sig", "utf_8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decoded(data, "utf_16", "utf_16")
    try:
        return Text(data.decode("utf-8"), ENCODING_NAMES["utf_8"])
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data, cp_isolation=list(CANDIDATE_ENCODINGS)).best()
    if guess is None:
        raise UploadError(
            N_(
                "This file is not text in an encoding we recognise (it may be a spreadsheet "
                "or a document)."
            ),
            advice=SAVE_AS_CSV,
        )
    return Text(str(guess), ENCODING_NAMES.get(guess.encoding, guess.encoding))


def _decoded(data: bytes, codec: str, encoding: str) -> Text:
    try:
        return Text(data.decode(codec), ENCODING_NAMES[encoding])
    except UnicodeDecodeError as error:
        raise UploadError(
            N_("This file says it is %(encoding)s but byte %(byte)s is not."),
            advice=SAVE_AS_CSV,
            encoding=ENCODING_NAMES[encoding],
            byte=error.start + 1,
        ) from None


@dataclass(frozen=True)
class Row:
    """A CSV record: the line it starts on, and its cells without surrounding spaces."""

    line: int
    cells: list[str]


def csv_rows(text: str, delimiter: str = ",") -> list[Row]:
    """Every record of a CSV text; UploadError("line N: ...") for the first one that cannot
    be read, or whose cell holds a control character (the input policy for single lines)."""
    # strict: an unclosed quote is an error, not the rest of the file read as one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            problem = _friendlier(str(error))
            raise UploadError(
                N_("line %(line)s: %(problem)s"), line=line, problem=problem
            ) from None
        cells = [cell.strip() for cell in record]
        for column, cell in enumerate(cells, start=1):
            character = control_in_line(cell)
            if character:
                raise UploadError(
                    N_(
                        "line %(line)s: cell %(column)s contains %(character)s, which a single "
                        "line cannot hold"
                    ),
                    line=line,
                    column=column,
                    character=character,
                )
        rows.append(Row(line, cells))


def _friendlier(message: str) -> str:
    for start, friendlier in FRIENDLIER_CSV_ERRORS.items():
        if start in message:
            return friendlier
    return message


# --- Documents (PDF, DOCX) ---------------------------------------------------------------

DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")
DOCUMENT_ADVICE = N_("Upload the document as a PDF or a Word (.docx) file.")
# A file that starts like a PDF but cannot be read: what a person can tell and do about it.
PDF_DAMAGED = N_("This file starts like a PDF but cannot be read: it is damaged or incomplete.")
PDF_ENCRYPTED = N_("This PDF is protected with a password, so it cannot be read.")
PDF_ENCRYPTED_ADVICE = N_("Save it again without a password and upload that copy.")
# What an uploaded document turns out to be instead, as whole marked sentences.
NOT_A_DOCUMENT = {
    b"\xd0\xcf\x11\xe0": N_("This file is an old Excel (.xls) or Word document."),
    b"%PDF": N_("This file is a PDF document."),
}
NEITHER_PDF_NOR_WORD = N_("This file is neither a PDF nor a Word document.")


@dataclass(frozen=True)
class DocumentFileCheck:
    """What an uploaded document is: 'pdf' or 'docx', and a PDF's number of pages."""

    format: str
    pages: int | None


def read_document(data: bytes) -> DocumentFileCheck:
    """Check an uploaded document by its content, not its name; UploadError saying why not."""
    if not data:
        raise UploadError(N_("The file is empty."), advice=DOCUMENT_ADVICE)
    if data.startswith(b"%PDF-"):
        return DocumentFileCheck("pdf", _pdf_pages(data))
    if data.startswith(b"PK\x03\x04"):
        _check_docx(data)
        return DocumentFileCheck("docx", None)
    refusal = NOT_A_DOCUMENT.get(data[:4], NEITHER_PDF_NOR_WORD)
    raise UploadError(refusal, advice=DOCUMENT_ADVICE)


def _pdf_pages(data: bytes) -> int:
    """A PDF's number of pages; UploadError in our words (pypdf's English, the technical
    detail, goes to the log only)."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except FileNotDecryptedError as error:
        log.info("uploaded PDF refused: %s", error)
        raise UploadError(PDF_ENCRYPTED, advice=PDF_ENCRYPTED_ADVICE) from None
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        log.info("uploaded PDF refused: %s: %s", type(error).__name__, error)
        raise UploadError(PDF_DAMAGED, advice=DOCUMENT_ADVICE) from None


def _check_docx(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise UploadError(N_("This zipped file is damaged."), advice=DOCUMENT_ADVICE) from None
    if not all(part in names for part in DOCX_PARTS):
        raise UploadError(
            N_("This file is a zipped document but not a Word (.docx) one (an Excel workbook?)."),
            advice=DOCUMENT_ADVICE,
        )
