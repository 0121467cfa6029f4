"""Load, clean, chunk and store interview transcripts (the upstream half of the pipeline)."""

from index.config import Config
from index.ingest import IngestReport, ingest, remove

__all__ = ["Config", "IngestReport", "ingest", "remove"]
