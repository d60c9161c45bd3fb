"""A BERT-style sentence encoder as an ONNX graph, built in memory from verify's int8 weights.

The weights stay the ones shipped (verify/data/<model>/weights.npz: every matrix int8 with one
scale per output row, layer norms and biases float32); this only says how onnxruntime should
run them. Every product is an int8 one: the weights as stored, the activations quantised on
the fly with one scale per token, so a text's vector never depends on the texts batched with
it (one scale for a whole batch did, and moved vectors further from the original model).

Layer-norm outputs carry a few channels ten times larger than the rest, which one scale per
token would flatten; the products that read them first divide those channels by
sqrt(channel size / weight size) and multiply the weights by the same (SmoothQuant, with the
layer norm's own gain and bias as the channel size, so no calibration data is involved).
Against the original model the vectors keep a mean cosine of 0.998 (tests/test_reference.py).

Each token quantisation is one QuantizeLinear (per row), and each product one
MatMulIntegerToFloat with the weights' scales, which takes about a quarter less time than the
same work spelled as element-wise steps (bench/encoder_bench.py).

Inputs: `x` (N, T, D) word + position + type embeddings; `mask` (N, T) 1 for tokens, 0 for
padding. Output: `means` (N, layers * D), each layer's mean token state.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import count
from typing import Any

import numpy as np

OPSET = 17
"""LayerNormalization is a standard operator from opset 17."""


class GraphParts:
    """The nodes and constants of an ONNX graph being built, each named in order of making,
    and the int8 product both of verify's encoders are made of."""

    def __init__(self) -> None:
        from onnx import TensorProto, helper, numpy_helper

        self._helper, self._numpy_helper = helper, numpy_helper
        self.initializers: list[Any] = []
        self.nodes: list[Any] = []
        self._serial = count()
        self._c127 = self.const(np.array(127, np.float32))
        self._tiny = self.const(np.array(1e-12, np.float32))
        self._one = self.const(np.array(1.0, np.float32))
        self._zero128 = self.const(np.array(128, np.uint8))
        self._u8_128 = helper.make_tensor("u8_128", TensorProto.UINT8, [1], [128])
        self._rows_axis = self.const(np.array([1], dtype=np.int64))

    def const(self, array: np.ndarray) -> str:
        name = f"c{next(self._serial)}"
        self.initializers.append(self._numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(self, kind: str, inputs: list[str], outputs: int = 1, **attrs: Any) -> Any:
        names = [f"{kind}{next(self._serial)}" for _ in range(outputs)]
        domain = attrs.pop("domain", None)
        self.nodes.append(self._helper.make_node(kind, inputs, names, domain=domain, **attrs))
        return names[0] if outputs == 1 else names

    def int8_product(self, x: str, q: np.ndarray, scale: np.ndarray, bias: np.ndarray) -> str:
        """x (rows, D) times the int8 matrix `q` (D, out) with one `scale` per output column,
        plus `bias`."""
        op = self.op
        # Each row's own scale (its largest magnitude maps to 127), so a text's vector does
        # not depend on the texts batched with it; stored as uint8 around 128. The largest
        # magnitude is the larger of the row's maximum and minus its minimum: two reductions
        # instead of a full-size Abs.
        top = op("ReduceMax", [x], axes=[1], keepdims=0)
        bottom = op("Neg", [op("ReduceMin", [x], axes=[1], keepdims=0)])
        x_scale = op("Max", [op("Div", [op("Max", [top, bottom]), self._c127]), self._tiny])
        zero = op("ConstantOfShape", [op("Shape", [x_scale])], value=self._u8_128)
        xq = op("QuantizeLinear", [x, x_scale, zero], axis=0)
        # The integer product and the weights' scales in one operator; the row's own scale
        # and the bias follow (MatMulIntegerToFloat takes one scale for all of x).
        product = op(
            "MatMulIntegerToFloat",
            [xq, self.const(q), self._one, self.const(scale.astype(np.float32)), self._zero128],
            domain="com.microsoft",
        )
        row_scale = op("Unsqueeze", [x_scale, self._rows_axis])
        return str(op("Add", [op("Mul", [product, row_scale]), self.const(bias)]))


def layer_count(raw: dict[str, np.ndarray]) -> int:
    prefix = "encoder.layer."
    return 1 + max(int(n[len(prefix) :].split(".")[0]) for n in raw if n.startswith(prefix))


def build(raw: dict[str, np.ndarray], heads: int) -> bytes:
    """The serialised ONNX model for BERT-style weights in verify's layout."""
    from onnx import TensorProto, helper

    width = int(raw["embeddings.LayerNorm.weight"].shape[0])
    head = width // heads
    layers = layer_count(raw)
    parts = GraphParts()
    const, op = parts.const, parts.op

    def weights(name: str, scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (
            raw[name + ".weight.q"],
            raw[name + ".weight.scale"].astype(np.float32) * scale,
            raw[name + ".bias"].astype(np.float32) * scale,
        )

    def dense_int8(x: str, name: str, size: np.ndarray | None, scale: float = 1.0) -> str:
        """x (tokens, D) times the named matrix, plus its bias."""
        q, s, bias = weights(name, scale)
        if size is not None:
            matrix = q.astype(np.float32) * s[:, None]
            smooth = np.sqrt(np.maximum(size, 1e-5) / np.maximum(np.abs(matrix).max(0), 1e-6))
            matrix *= smooth[None, :]
            s = np.maximum(np.abs(matrix).max(1), 1e-12) / 127
            q = np.round(matrix / s[:, None]).astype(np.int8)
            x = op("Mul", [x, const((1 / smooth).astype(np.float32))])
        return parts.int8_product(x, q.T, s, bias)

    def norm(x: str, name: str) -> str:
        gain, bias = raw[name + ".weight"], raw[name + ".bias"]
        return str(op("LayerNormalization", [x, const(gain), const(bias)], axis=-1, epsilon=1e-12))

    def size_after(name: str) -> np.ndarray:
        out: np.ndarray = np.abs(raw[name + ".weight"]) + np.abs(raw[name + ".bias"])
        return out

    # Every token is a row of one (tokens, D) matrix; only attention needs the texts apart.
    texts_tokens = op("Shape", ["mask"])
    by_head = op("Concat", [texts_tokens, const(np.array([heads, head], dtype=np.int64))], axis=0)
    by_text = op("Concat", [texts_tokens, const(np.array([width], dtype=np.int64))], axis=0)
    rows = const(np.array([-1, width], dtype=np.int64))
    tokens_axis = const(np.array([1], dtype=np.int64))
    mask3 = op("Unsqueeze", ["mask", const(np.array([2], dtype=np.int64))])
    counts = op("ReduceSum", ["mask", tokens_axis], keepdims=1)
    # Padding gets a large negative score before the softmax: it takes no attention.
    blocked = op(
        "Mul",
        [
            op("Sub", [const(np.array(1, np.float32)), "mask"]),
            const(np.array(-1e9, np.float32)),
        ],
    )
    blocked = op("Unsqueeze", [blocked, const(np.array([1, 2], dtype=np.int64))])

    x = norm(op("Reshape", ["x", rows]), "embeddings.LayerNorm")
    before = "embeddings.LayerNorm"
    means = []
    for i in range(layers):
        p = f"encoder.layer.{i}."
        attention = p + "attention.self."
        # The query projection absorbs attention's 1/sqrt(head size). Each of the three keeps
        # its own smoothing: one product over the three matrices side by side would share
        # it, and moved the vectors from the original model (mean cosine 0.9972, not 0.9983).
        q, k, v = (
            op("Reshape", [dense_int8(x, attention + part, size_after(before), scale), by_head])
            for part, scale in (("query", 1 / math.sqrt(head)), ("key", 1.0), ("value", 1.0))
        )
        q = op("Transpose", [q], perm=[0, 2, 1, 3])
        k = op("Transpose", [k], perm=[0, 2, 3, 1])
        v = op("Transpose", [v], perm=[0, 2, 1, 3])
        scores = op("Softmax", [op("Add", [op("MatMul", [q, k]), blocked])], axis=-1)
        context = op("Transpose", [op("MatMul", [scores, v])], perm=[0, 2, 1, 3])
        context = op("Reshape", [context, rows])
        attended = dense_int8(context, p + "attention.output.dense", None)
        x = norm(op("Add", [attended, x]), p + "attention.output.LayerNorm")
        up = dense_int8(x, p + "intermediate.dense", size_after(p + "attention.output.LayerNorm"))
        hidden = op("Gelu", [up], domain="com.microsoft")
        down = dense_int8(hidden, p + "output.dense", None)
        x = norm(op("Add", [down, x]), p + "output.LayerNorm")
        before = p + "output.LayerNorm"
        states = op("Reshape", [x, by_text])
        summed = op("ReduceSum", [op("Mul", [states, mask3]), tokens_axis], keepdims=0)
        means.append(op("Div", [summed, counts]))
    parts.nodes.append(helper.make_node("Concat", means, ["means"], axis=1))
    graph = helper.make_graph(
        parts.nodes,
        "encoder",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", "T", width]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["N", "T"]),
        ],
        [helper.make_tensor_value_info("means", TensorProto.FLOAT, ["N", layers * width])],
        initializer=parts.initializers,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 8
    return bytes(model.SerializeToString())


def session(model: bytes, threads: int) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """A runner for `model` on `threads` threads: (x, mask) -> layer means."""
    runner = inference_session(model, threads)

    def run(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        out: np.ndarray = runner.run(["means"], {"x": x, "mask": mask})[0]
        return out

    return run


def inference_session(model: bytes, threads: int) -> Any:
    """An onnxruntime session for `model` on `threads` threads, on the CPU."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle threads sleep instead of spinning: beside other busy processes spinning threads
    # mostly wait on each other (the reason verify.embed sizes the thread count by load).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    # Without the arena, the working memory of one batch is returned after it instead of
    # being kept at the largest batch's size for the life of the process.
    options.enable_cpu_mem_arena = False
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
