import { describe, it, expect } from 'vitest';
import {
  IS_PROMPT_TAG_KEY,
  isPromptFilter,
  modelVersionMatches,
  parseModelVersionFilter,
  parseRegisteredModelFilter,
  registeredModelMatches,
} from '../../../../shared/domain/search/index.js';
import { aModelVersion, aRegisteredModel, label } from './registry-builders.js';

const models = [
  aRegisteredModel({ name: 'model' }),
  aRegisteredModel({ name: 'prompt', tags: { [IS_PROMPT_TAG_KEY]: 'true' } }),
  aRegisteredModel({ name: 'not-prompt', tags: { [IS_PROMPT_TAG_KEY]: 'false' } }),
];

const versions = [
  aModelVersion({ name: 'model', version: 1 }),
  aModelVersion({ name: 'prompt', version: 1, tags: { [IS_PROMPT_TAG_KEY]: 'true' } }),
  aModelVersion({ name: 'not-prompt', version: 1, tags: { [IS_PROMPT_TAG_KEY]: 'false' } }),
];

const modelsMatching = (filter: string | undefined): string[] => {
  const compiled = parseRegisteredModelFilter(filter);
  return models.filter((m) => registeredModelMatches(m, compiled)).map(label);
};

const versionsMatching = (filter: string | undefined): string[] => {
  const compiled = parseModelVersionFilter(filter);
  return versions.filter((v) => modelVersionMatches(v, compiled)).map(label);
};

describe('registry search: prompts', () => {
  it.each([
    { filter: undefined, prompts: false, expected: ['model', 'not-prompt'] },
    { filter: "tag.`mlflow.prompt.is_prompt` != 'true'", prompts: false, expected: ['model', 'not-prompt'] },
    { filter: "name LIKE '%' AND tag.`mlflow.prompt.is_prompt` != 'true'", prompts: false, expected: ['model', 'not-prompt'] },
    { filter: "tags.`mlflow.prompt.is_prompt` = 'false'", prompts: false, expected: ['model', 'not-prompt'] },
    { filter: "tags.mlflow.prompt.is_prompt LIKE 'x%'", prompts: false, expected: ['model', 'not-prompt'] },
    { filter: "tag.`mlflow.prompt.is_prompt` = 'true'", prompts: true, expected: ['prompt'] },
    { filter: 'tags."mlflow.prompt.is_prompt" = "TRUE"', prompts: true, expected: [] },
    { filter: "tags.mlflow.prompt.is_prompt != 'false'", prompts: true, expected: ['prompt'] },
    // Asking is case-insensitive, the comparison itself is not.
    { filter: "tags.mlflow.prompt.is_prompt != 'FALSE'", prompts: true, expected: ['prompt', 'not-prompt'] },
    {
      filter: "tags.mlflow.prompt.is_prompt != 'x' AND tags.mlflow.prompt.is_prompt = 'true'",
      prompts: false,
      expected: ['model', 'not-prompt'],
    },
    {
      filter: "tags.mlflow.prompt.is_prompt = 'true' AND tags.mlflow.prompt.is_prompt != 'x'",
      prompts: true,
      expected: ['prompt'],
    },
  ])('models: `$filter` asks for prompts: $prompts, keeps $expected', ({ filter, prompts, expected }) => {
    // Prepare
    const compiled = parseRegisteredModelFilter(filter);

    // Act
    const names = modelsMatching(filter);

    // Assess
    expect(isPromptFilter(compiled)).toBe(prompts);
    expect(names).toEqual(expected);
  });

  it.each([
    { filter: undefined, prompts: false, expected: ['model/1', 'not-prompt/1'] },
    { filter: "tag.`mlflow.prompt.is_prompt` != 'true'", prompts: false, expected: ['model/1', 'not-prompt/1'] },
    { filter: "name = 'prompt' AND tags.`mlflow.prompt.is_prompt` != 'true'", prompts: false, expected: [] },
    { filter: "name = 'prompt' AND tags.`mlflow.prompt.is_prompt` = 'true'", prompts: true, expected: ['prompt/1'] },
    { filter: "tags.`mlflow.prompt.is_prompt` != 'false'", prompts: true, expected: ['prompt/1'] },
  ])('versions: `$filter` asks for prompts: $prompts, keeps $expected', ({ filter, prompts, expected }) => {
    // Prepare
    const compiled = parseModelVersionFilter(filter);

    // Act
    const labels = versionsMatching(filter);

    // Assess
    expect(isPromptFilter(compiled)).toBe(prompts);
    expect(labels).toEqual(expected);
  });
});
