/** MLmodel files as MLflow writes them (PyYAML folds the long signature strings over several lines). */
export const SKLEARN_MLMODEL = `artifact_path: model
flavors:
  python_function:
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: 3.11.9
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.5.2
mlflow_version: 2.17.2
model_size_bytes: 1067
model_uuid: 0c5a3b1c2b8a4a1e9b6f0e4c7f3d2a19
run_id: 7d1e0f1b2c3d4e5f6a7b8c9d0e1f2a3b
saved_input_example_info:
  artifact_path: input_example.json
  pandas_orient: split
  serving_input_path: serving_input_example.json
  type: dataframe
signature:
  inputs: '[{"type": "double", "name": "sepal length (cm)", "required": true}, {"type":
    "double", "name": "sepal width (cm)", "required": true}, {"type": "double", "name":
    "petal length (cm)", "required": true}, {"type": "double", "name": "petal width (cm)",
    "required": true}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
  params: null
utc_time_created: '2024-11-05 09:12:44.123456'
`;

/** An sklearn model logged without a predict function: no python_function flavor, no signature. */
export const SKLEARN_WITHOUT_PYFUNC_MLMODEL = `artifact_path: model
flavors:
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.5.2
mlflow_version: 2.17.2
model_uuid: 5e2d9c0a7b414f3e8c1d2b3a4f5e6d7c
run_id: 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d
utc_time_created: '2024-11-05 09:20:01.000001'
`;

/** A custom pyfunc with a tensor input and an inference params schema. */
export const TENSOR_WITH_PARAMS_MLMODEL = `artifact_path: model
flavors:
  python_function:
    cloudpickle_version: 3.1.0
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.pyfunc.model
    python_model: python_model.pkl
    python_version: 3.11.9
mlflow_version: 3.1.0
model_id: m-3f1c2a9b8e7d4c6b5a4f3e2d1c0b9a8f
signature:
  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 28, 28]}}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 10]}}]'
  params: '[{"name": "temperature", "type": "float", "default": 0.5, "shape": null}, {"name":
    "stop", "type": "string", "default": ["END"], "shape": [-1]}, {"name": "verbose", "type":
    "boolean", "default": false, "shape": null}]'
utc_time_created: '2025-06-12 14:03:27.481516'
`;
