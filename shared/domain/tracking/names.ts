import { randomInt, randomUUID } from 'node:crypto';

// Word lists in the spirit of MLflow's run names (mlflow/utils/name_utils.py): `<adjective>-<noun>-<0..999>`.
const ADJECTIVES = [
  'able', 'bold', 'brave', 'bright', 'calm', 'clever', 'crisp', 'daring', 'eager', 'fair', 'gentle', 'glad',
  'grand', 'honest', 'keen', 'kind', 'lively', 'lucky', 'merry', 'mighty', 'neat', 'nimble', 'polite', 'proud',
  'quick', 'quiet', 'rare', 'ripe', 'sharp', 'shy', 'smart', 'steady', 'swift', 'tidy', 'vast', 'warm', 'wise',
];
const NOUNS = [
  'ant', 'bass', 'bat', 'bear', 'bee', 'cat', 'cod', 'colt', 'crab', 'crow', 'deer', 'doe', 'dove', 'duck',
  'eel', 'elk', 'finch', 'fox', 'frog', 'goat', 'hare', 'hawk', 'hen', 'jay', 'lamb', 'lark', 'lynx', 'mole',
  'moth', 'newt', 'owl', 'ox', 'ram', 'seal', 'slug', 'snail', 'swan', 'toad', 'trout', 'wasp', 'wolf', 'wren',
];

const pick = (words: readonly string[]) => words[randomInt(words.length)] ?? words[0];

/** A readable random name for a run or logged model, at most 20 characters as in MLflow. */
export const randomName = (): string => `${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomInt(1000)}`.slice(0, 20);

/** A run id: 32 lowercase hex characters, like MLflow's `uuid4().hex`. */
export const newRunId = (): string => randomUUID().replaceAll('-', '');

/** A logged model id: `m-` and 32 hex characters, as in MLflow 3. */
export const newLoggedModelId = (): string => `m-${randomUUID().replaceAll('-', '')}`;
