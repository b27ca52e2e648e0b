/**
 * The Content-Type MLflow answers artifact downloads with (mlflow/utils/mime_type_utils.py): text-like
 * files, MLmodel and MLproject included, are `text/plain`; a few known types keep theirs; the rest is
 * `application/octet-stream`. Its table holds lower-cased names, matched lower-cased: `mlproject` is text too.
 */
const TEXT_NAMES = new Set(['mlmodel', 'mlproject']);
const TEXT_EXTENSIONS = new Set([
  'txt', 'log', 'err', 'cfg', 'conf', 'cnf', 'cf', 'ini', 'properties', 'prop', 'hocon', 'toml', 'yaml', 'yml',
  'xml', 'json', 'js', 'py', 'py3', 'csv', 'tsv', 'md', 'rst', 'jsonnet',
]);
const KNOWN: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
  geojson: 'application/geo+json',
};

export const artifactContentType = (fileName: string): string => {
  if (TEXT_NAMES.has(fileName.toLowerCase())) return 'text/plain';
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  if (TEXT_EXTENSIONS.has(extension)) return 'text/plain';
  return KNOWN[extension] ?? 'application/octet-stream';
};
