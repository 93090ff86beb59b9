/**
 * A checkpoint's life, one name per stage, used alike in code, metrics and docs:
 * <ol>
 * <li><b>draft</b> ({@link io.clipstream.trainer.checkpoint.CheckpointDraft}): the weights, optimiser and data state
 * taken between two steps, evaluated on the held-out pool and judged by the guardrail
 * ({@link io.clipstream.trainer.checkpoint.Checkpointer});</li>
 * <li><b>stored</b> ({@link io.clipstream.trainer.checkpoint.StoredCheckpoint}): written by
 * {@link io.clipstream.trainer.checkpoint.CheckpointWriter} and published atomically in the artifact store under its
 * version, with everything a resume needs; {@code model}'s {@code Checkpoints.load} reads one back
 * ({@code Checkpoints.Loaded}, its weights through {@code StoredWeights});</li>
 * <li><b>announced</b>: the Avro {@code io.clipstream.schemas.Checkpoint} record on {@code clipstream.checkpoints}
 * ({@link io.clipstream.trainer.checkpoint.CheckpointAnnouncer}), with its metrics and verdict (PASSED or
 * REJECTED). No service acts on it: a person reads it and decides;</li>
 * <li><b>rolled out</b>: named by the rollout manifest or file ({@code CLIPSTREAM_MODEL_CHECKPOINT}, pinned by its
 * manifest's SHA-256), which {@code clipstream rollout} writes;</li>
 * <li><b>served</b>: loaded by the embedder, classifier and search as {@code model}'s {@code ServedModel}, the version
 * their answers carry.</li>
 * </ol>
 * Retention ({@link io.clipstream.trainer.checkpoint.CheckpointRetention}) deletes stored checkpoints that are neither
 * among the newest, nor passed and kept, nor named by a rollout file.
 */
package io.clipstream.trainer.checkpoint;
