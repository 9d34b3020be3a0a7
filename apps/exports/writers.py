"""Streaming writers: JSONL, CSV, Parquet and a Hugging Face `datasets` folder.

Each takes the export's columns and an iterator of row batches (lists of dicts) and never
holds more than one batch: JSONL and CSV encode row by row, Parquet writes one row group per
batch, and the Hugging Face folder is built from that Parquet file by `datasets` (which
reads it batch by batch into Arrow files on disk).
"""

import csv
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from apps.exports.columns import Column, arrow_schema

FORMATS = ("jsonl", "csv", "parquet", "hf")
CONTENT_TYPES = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "hf": "application/zip",
}
EXTENSIONS = {"jsonl": "jsonl", "csv": "csv", "parquet": "parquet", "hf": "zip"}
Batches = Iterable[list[dict]]

_ORJSON = orjson.OPT_NON_STR_KEYS


def _json(value) -> str:
    return orjson.dumps(value, option=_ORJSON, default=str).decode()


def _check_row_keys(columns: list[Column], batch: list[dict]) -> None:
    """Rows hold exactly the columns as keys, in order (every task's `rows` promises it), so
    writers use them as they are; a task breaking the promise fails loudly here."""
    if batch and list(batch[0]) != [column.name for column in columns]:
        raise ValueError(f"Export rows have keys {list(batch[0])}, not the columns {columns}.")


def jsonl_chunks(columns: list[Column], batches: Batches) -> Iterator[bytes]:
    dumps = orjson.dumps
    for batch in batches:
        _check_row_keys(columns, batch)
        yield b"\n".join([dumps(row, option=_ORJSON, default=str) for row in batch]) + (
            b"\n" if batch else b""
        )


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return _json(value)
    return value


def csv_chunks(columns: list[Column], batches: Batches) -> Iterator[bytes]:
    names = [column.name for column in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(names)
    for batch in batches:
        writer.writerows([_csv_cell(row.get(name)) for name in names] for row in batch)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def arrow_batch(columns: list[Column], schema: pa.Schema, batch: list[dict]) -> pa.RecordBatch:
    _check_row_keys(columns, batch)
    by_column = zip(*[row.values() for row in batch], strict=True)
    arrays = []
    for column, arrow_field, values in zip(columns, schema, by_column, strict=True):
        if column.json:
            values = [None if v is None else _json(v) for v in values]
        arrays.append(pa.array(values, type=arrow_field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


class _Sink:
    """A write-only file that hands back what was written since the last `take()`."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.position = 0
        self.closed = False

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def parquet_chunks(columns: list[Column], batches: Batches) -> Iterator[bytes]:
    schema = arrow_schema(columns)
    sink = _Sink()
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        for batch in batches:
            if batch:
                writer.write_batch(arrow_batch(columns, schema, batch))
                yield sink.take()
    yield sink.take()


STREAMS = {"jsonl": jsonl_chunks, "csv": csv_chunks, "parquet": parquet_chunks}


def write_file(fmt: str, columns: list[Column], batches: Batches, path: Path) -> Path:
    """Write the export to `path` (a folder for `hf`); returns what was written."""
    path = Path(path)
    if fmt == "hf":
        return write_hf_folder(columns, batches, path)
    with open(path, "wb") as out:
        for chunk in STREAMS[fmt](columns, batches):
            out.write(chunk)
    return path


def write_hf_folder(columns: list[Column], batches: Batches, folder: Path) -> Path:
    """A `datasets.Dataset.save_to_disk` folder, loadable with `datasets.load_from_disk`."""
    import datasets  # optional extra `hf`

    datasets.disable_progress_bars()

    with tempfile.TemporaryDirectory(prefix="loam-hf-") as scratch:
        parquet = Path(scratch) / "data.parquet"
        write_file("parquet", columns, batches, parquet)
        dataset = datasets.Dataset.from_parquet(
            str(parquet), cache_dir=str(Path(scratch) / "cache")
        )
        if folder.exists():
            shutil.rmtree(folder)
        dataset.save_to_disk(str(folder))
        del dataset
    return folder


def zip_folder(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                zf.write(file, Path(folder.name) / file.relative_to(folder))
    return archive


def hf_zip_chunks(columns: list[Column], batches: Batches, name: str) -> Iterator[bytes]:
    """The HF folder, zipped, for one HTTP response (built on disk, then streamed)."""
    with tempfile.TemporaryDirectory(prefix="loam-hfzip-") as scratch:
        folder = write_hf_folder(columns, batches, Path(scratch) / name)
        archive = zip_folder(folder, Path(scratch) / f"{name}.zip")
        with open(archive, "rb") as data:
            while chunk := data.read(1 << 20):
                yield chunk
