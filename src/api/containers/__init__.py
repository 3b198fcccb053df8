"""The composition root's containers, one per layer; `api.container.Container` wires them."""
