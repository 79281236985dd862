"""A walker over the report's JSON: every figure that carries a number covers 0 or at least k people."""


def figures(node, path=""):
    if isinstance(node, dict):
        if set(node) == {"value", "n", "suppressed"}:
            yield path, node
            return
        for key, value in node.items():
            yield from figures(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from figures(value, f"{path}[{i}]")


def assert_no_small_figure(data: dict, k: int) -> None:
    for path, figure in figures(data):
        if figure["suppressed"]:
            assert figure["value"] is None and figure["n"] is None, path
        else:
            assert figure["n"] is not None and (figure["n"] == 0 or figure["n"] >= k), (path, figure)
