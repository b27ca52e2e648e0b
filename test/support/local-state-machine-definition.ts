/**
 * Definition handling for the local state machine harness: walking the states, making timeouts fit in a Node
 * timer, and building the library's StateMachine (validated once per distinct definition).
 */
import './promise-with-resolvers.js';

import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

import type { HandlerOutput } from './local-state-machine-types.js';

export type AslObject = Record<string, unknown>;

/** Longest delay Node's setTimeout honours, in whole seconds (2^31-1 ms). */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Definitions (as JSON) that already passed the library's validation in this process. */
const validatedDefinitions = new Set<string>();

export const isObject = (value: unknown): value is AslObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value as Step Functions' JSON would carry it (Dates become ISO strings, undefined members vanish). */
export const toJson = (value: unknown): HandlerOutput => {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as HandlerOutput);
};

/** Every state of the definition, including those in Map iterators/ItemProcessors and Parallel branches. */
export const collectStates = (definition: AslObject, into = new Map<string, AslObject>()): Map<string, AslObject> => {
  const states = definition.States;
  if (!isObject(states)) throw new Error('local state machine: definition has no States object');
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) throw new Error(`local state machine: state '${name}' is not an object`);
    if (into.has(name)) {
      throw new Error(`local state machine: state name '${name}' is used twice; Task overrides are keyed by state name`);
    }
    into.set(name, state);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (state.Type === 'Map' && isObject(processor)) collectStates(processor, into);
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches) if (isObject(branch)) collectStates(branch, into);
    }
  }
  return into;
};

/** A copy of the definition whose timeouts fit in a Node timer (see the comment in local-state-machine.ts). */
export const withUsableTimeouts = (definition: AslObject): AslObject => {
  const copy = structuredClone(definition);
  if (typeof copy.TimeoutSeconds === 'number' && copy.TimeoutSeconds > MAX_TIMER_SECONDS) {
    copy.TimeoutSeconds = MAX_TIMER_SECONDS;
  }
  for (const state of collectStates(copy).values()) {
    if (state.Type !== 'Task') continue;
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = MAX_TIMER_SECONDS;
    } else if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > MAX_TIMER_SECONDS) {
      state.TimeoutSeconds = MAX_TIMER_SECONDS;
    }
  }
  return copy;
};

export const createMachine = (definition: AslObject): StateMachine => {
  // asl-validator takes ~0.3-0.8 s per definition, so each distinct definition is validated once per process.
  const definitionKey = JSON.stringify(definition);
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: validatedDefinitions.has(definitionKey) },
  });
  validatedDefinitions.add(definitionKey);
  return machine;
};
