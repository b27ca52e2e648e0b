/** The registry's hash routes, as MLflow's client prints them. */
export const modelsPath = () => '/models';

export const modelPath = (name: string) => `/models/${encodeURIComponent(name)}`;

export const versionPath = (name: string, version: string) => `${modelPath(name)}/versions/${encodeURIComponent(version)}`;
