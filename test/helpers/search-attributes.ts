import { temporal } from '@temporalio/proto';
import type { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_TYPES } from '../../workflows/definitions';

const TYPE = temporal.api.enums.v1.IndexedValueType;
const MAP = {
  Keyword: TYPE.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: TYPE.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Datetime: TYPE.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/** Registers dondoc's search attributes on a server that takes them only through the operator service. */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_TYPES)) searchAttributes[name] = MAP[type];
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}
