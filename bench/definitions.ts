/** The benchmark's update, shared by its workflows and the process that calls it. */
import { defineUpdate } from '@temporalio/workflow';

/** A no-op update with a validator: what Temporal costs for a person's click, without dondoc's code. */
export const benchNoopUpdate = defineUpdate<number, [number]>('benchNoop');
