/**
 * Error texts of trace search, in MLflow's words (SearchTraceUtils, the SQL store's span and assessment filters);
 * the ones every search shares come from shared/domain/search/messages.ts.
 */
import { invalidParameter, type MlflowError } from '../../../errors/index.js';
import { pySet } from '../../search/messages.js';

export { invalidParameter };
export {
  expectedIdentifier,
  expectedQuotedFor,
  invalidComparator,
  listNeedsInComparator,
  multipleExpressions,
  notQuoted,
  pyRepr,
  pySet,
} from '../../search/messages.js';

export const SPAN_FIELDS = ['name', 'status', 'type', 'attributes.<attribute_name>'] as const;

export const invalidSpanAttribute = (key: string): MlflowError =>
  invalidParameter(`Invalid span attribute '${key}'. Supported attributes: ${SPAN_FIELDS.join(', ')}.`);

export const invalidSpanComparator = (field: string, comparator: string, valid: readonly string[]): MlflowError =>
  invalidParameter(`span.${field} comparator '${comparator}' not one of ${pySet(valid)}`);

export const numericOnlyAttributes = (numeric: readonly string[]): MlflowError =>
  invalidParameter(`Only the '${pySet(numeric)}' attributes support comparison with numeric values.`);

export const expectedNumericAttribute = (key: string, found: string): MlflowError =>
  invalidParameter(`Expected numeric value type for numeric attribute: ${key}. Found ${found}`);

export const listOnlyFor = (keys: readonly string[]): MlflowError =>
  invalidParameter(`Only attributes in ${pySet(keys)} supports comparison with a list of quoted string values.`);

export const expectedNumericAssessment = (type: string, found: string): MlflowError =>
  invalidParameter(`Expected a numeric value for ${type} with a numeric comparator (e.g. 0.5). Got value ${found}`);

export const expectedQuotedAssessment = (type: string, found: string): MlflowError =>
  invalidParameter(`Expected a quoted string value for ${type} (e.g. 'my-value'). Got value ${found}`);

export const invalidOrderByEntity = (type: string, key: string): MlflowError =>
  invalidParameter(`Invalid order_by entity \`${type}\` with key \`${key}\``);
