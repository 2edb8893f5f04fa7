"""Build the Rasa project in bot/: generated NLU and domain from knowledge/, training, validation.

Runs in the Python 3.11 environment; Rasa itself runs in .venv-rasa (Python 3.10) as a
subprocess. One job per module: `layout` (where things are), `annotate` (entity markup),
`rasa_yaml` (reading and writing Rasa's YAML), `nlu` (generated training data), `domain`
(generated intents and rules), `generate` (writes it all), `freshness` (hash and stamp),
`rasa_run` (runs rasa train / rasa data validate).
"""

from wegwijzer.rasa_build.freshness import Freshness, model_freshness
from wegwijzer.rasa_build.generate import GenerationReport, generate
from wegwijzer.rasa_build.layout import BotLayout, BuildError
from wegwijzer.rasa_build.rasa_run import train, validate

__all__ = [
    "BotLayout",
    "BuildError",
    "Freshness",
    "GenerationReport",
    "generate",
    "model_freshness",
    "train",
    "validate",
]
