/**
 * Contrastive training of {@link io.clipstream.model.ClipModel}, after OpenCLIP's {@code training/}
 * and {@code loss.py}.
 *
 * <ul>
 *   <li>{@link io.clipstream.model.train.ClipTrainer#step}: one optimiser step on a batch of pairs
 *       ({@link io.clipstream.model.train.PairBatcher} makes the tensors), returning a
 *       {@link io.clipstream.model.train.StepResult}.</li>
 *   <li>{@link io.clipstream.model.train.ClipLoss}: the symmetric cross-entropy, written as a
 *       shard's local loss over gathered features.</li>
 *   <li>{@link io.clipstream.model.train.AdamW} over {@link io.clipstream.model.train.ParameterGroups},
 *       a {@link io.clipstream.model.train.LearningRateSchedule} and
 *       {@link io.clipstream.model.train.GradientClipping}.</li>
 *   <li>{@link io.clipstream.model.train.TrainingCheckpoints}: weights, optimiser state and lineage,
 *       so that a run resumes exactly.</li>
 *   <li>{@link io.clipstream.model.train.Evaluation}: retrieval recall@k and zero-shot accuracy.</li>
 * </ul>
 *
 * <h2>Devices</h2>
 * A trainer trains on the one device that holds the model (CPU, or the GPU that
 * {@code Engines.defaultDevice()} picks). Several GPUs are not used, for these reasons:
 * DJL's PyTorch engine exposes no collectives ({@code torch.distributed}, NCCL), so only one
 * process can drive several GPUs, from one JVM. What that allows on one node is OpenCLIP's
 * {@code gather_with_grad} done by hand: each device runs the forward of its shard on its own
 * parameter replica (DJL's {@code ParameterStore} with a {@code ParameterServer} copies
 * parameters and sums their gradients), the shards' embeddings are copied to every device with
 * {@code toDevice} (a differentiable copy in PyTorch), each device computes
 * {@link io.clipstream.model.train.ClipLoss#localLoss} at its offset, and the sum of the local
 * losses is backpropagated once. {@code ClipLoss} is shaped for that, and its test checks that
 * local losses over gathered features give the full batch's loss and gradient; the multi-device
 * step itself is not written, because no machine here has a GPU to run it on.
 *
 * <h2>Precision</h2>
 * Training is float32. DJL offers neither {@code torch.autocast} nor a gradient scaler. What it
 * allows is manual mixed precision with float32 master weights: a {@code ParameterStore} that
 * hands out {@code toType(BFLOAT16)} copies of the parameters (the cast is differentiable, so the
 * gradients land in float32), bfloat16 pixels, and the embeddings cast back to float32 before
 * the loss ({@code ClipLoss} always computes in float32). Unlike autocast, LayerNorm and softmax
 * would then run in bfloat16 too. Float16 would also need loss scaling, with
 * {@link io.clipstream.model.train.NonFiniteLossException} as the overflow check. It is not
 * implemented: on the CPU bfloat16 is slower, and there is no GPU here to measure it.
 *
 * <h2>Memory</h2>
 * Every step's arrays live in a sub-manager closed at the end of the step; gradients are
 * PyTorch's buffers inside the parameters, zeroed after each update. Constants that autograd
 * keeps for the backward pass must be made by PyTorch ({@link io.clipstream.model.engine.Scalars}),
 * never by DJL's number overloads, whose Java buffers a garbage collection frees under the graph.
 */
package io.clipstream.model.train;
