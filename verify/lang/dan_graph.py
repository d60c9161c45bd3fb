"""The per-token layers of the multilingual encoder as an ONNX graph, built in memory.

verify.lang.encoder looks the tokens up and averages per sentence; in between, every token
goes through a projection, a layer norm and three convolution branches (n-grams of 2, 3 and 5
tokens), which is nearly all of the encoder's cost. Here they run in onnxruntime as int8
products, as the English encoder's do (verify.encoder_graph): the float weights shipped are
quantised when the graph is built, one scale per output column, and each token's (or n-gram
window's) activations on the fly with their own scale, so a text's vector never depends on
the texts batched with it. Against the float computation the vectors keep a cosine of 0.999
or more (tests/test_reference.py); the encoder costs about half as much a sentence.

Inputs: `tokens` (n, 512) the looked-up token embeddings of a batch laid end to end;
`window2`, `window3`, `window5` (n, order) the rows each token's n-gram reads, row n standing
for "outside the sentence" (zeros). Output: `features` (n, 512 + 3 * 256), layer-normed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from verify.encoder_graph import GraphParts

OPSET = 17
BRANCH = 256
"""Width of each convolution branch."""


def build(
    proj: tuple[np.ndarray, np.ndarray],
    proj_norm: tuple[np.ndarray, np.ndarray],
    branches: Sequence[tuple[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]],
    norm: tuple[np.ndarray, np.ndarray],
    eps: float,
) -> bytes:
    """The serialised model: `proj` (weight, bias) of the projection, `branches` (order,
    (w1, b1, w2, b2)) of each convolution branch, the two layer norms' (gain, bias)."""
    from onnx import TensorProto, helper

    parts = GraphParts()
    const, op = parts.const, parts.op
    rows_axis = const(np.array([1], dtype=np.int64))

    def dense_int8(x: str, weight: np.ndarray, bias: np.ndarray) -> str:
        weight = weight.astype(np.float32)
        scale = np.maximum(np.abs(weight).max(0), 1e-12) / 127
        q = np.round(weight / scale).astype(np.int8)
        return parts.int8_product(x, q, scale, bias.astype(np.float32))

    def layer_norm(x: str, gain: np.ndarray, bias: np.ndarray) -> str:
        return op(
            "LayerNormalization",
            [x, const(gain.astype(np.float32)), const(bias.astype(np.float32))],
            axis=-1,
            epsilon=eps,
        )

    x = layer_norm(dense_int8("tokens", *proj), *proj_norm)
    outside = const(np.zeros((1, BRANCH), np.float32))
    features = ["tokens"]
    for i, (order, (w1, b1, w2, b2)) in enumerate(branches):
        start, end = const(np.array([i * BRANCH])), const(np.array([(i + 1) * BRANCH]))
        own = op("Slice", [x, start, end, rows_axis])
        shape = const(np.array([-1, order * BRANCH], dtype=np.int64))

        def ngrams(states: str, order: int = order, shape: str = shape) -> str:
            table = op("Concat", [states, outside], axis=0)
            return op("Reshape", [op("Gather", [table, f"window{order}"], axis=0), shape])

        h = op("Add", [op("Relu", [dense_int8(ngrams(own), w1, b1)]), own])
        features.append(op("Add", [op("Relu", [dense_int8(ngrams(h), w2, b2)]), h]))
    out = layer_norm(op("Concat", features, axis=1), *norm)
    parts.nodes.append(helper.make_node("Identity", [out], ["features"]))
    width = proj[0].shape[0]
    graph = helper.make_graph(
        parts.nodes,
        "multilingual",
        [
            helper.make_tensor_value_info("tokens", TensorProto.FLOAT, ["n", width]),
            *(
                helper.make_tensor_value_info(f"window{order}", TensorProto.INT64, ["n", order])
                for order, _ in branches
            ),
        ],
        [
            helper.make_tensor_value_info(
                "features", TensorProto.FLOAT, ["n", width + len(branches) * BRANCH]
            )
        ],
        initializer=parts.initializers,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 8
    return bytes(model.SerializeToString())
