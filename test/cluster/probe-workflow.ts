import { condition, defineSignal, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { SA } from '../../workflows/definitions';

export const finishSignal = defineSignal<[string]>('finish');

/** Sets dondoc's status search attribute, waits for `finish`, sets it again and returns what it was told. */
export async function clusterProbeWorkflow(input: { status: string }): Promise<string> {
  upsertSearchAttributes([{ key: SA.status, value: input.status }]);
  let word: string | undefined;
  setHandler(finishSignal, (w) => {
    word = w;
  });
  await condition(() => word !== undefined);
  upsertSearchAttributes([{ key: SA.status, value: `${input.status}-done` }]);
  return word!;
}
