"""Component names: one per model, its class name, claimed once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

from pydantic import BaseModel


class ComponentNames:
    """Names each model's component after its class; two classes of one name are an error.

    spectree's own names carry a hash and, for a nested model, its parent's name, so one model
    appeared under several names with one title, and generated clients dropped its users.
    """

    def __init__(self) -> None:
        self._models: dict[str, type[BaseModel]] = {}

    def __call__(self, model: type[BaseModel]) -> str:
        self._claim(model)
        return model.__name__

    @staticmethod
    def nested(_parent: str, child: str) -> str:
        """The component of a model nested in another: the same one as its own."""
        return child

    def _claim(self, model: type[BaseModel]) -> None:
        holder = self._models.setdefault(model.__name__, model)
        if holder is not model:
            raise ValueError(
                f"two models are named {model.__name__} ({holder.__module__} and "
                f"{model.__module__}): the OpenAPI document needs one name per model"
            )
        for field in model.model_fields.values():
            for nested in _models_in(field.annotation):
                if self._models.get(nested.__name__) is not nested:
                    self._claim(nested)


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in get_args(annotation):
        yield from _models_in(argument)
