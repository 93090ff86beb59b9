package io.clipstream.model.train;

/**
 * What one optimiser step did.
 *
 * @param step optimiser steps taken so far, this one included (1 after the first)
 * @param loss the contrastive loss of the whole batch before the update
 * @param logitScale {@code exp(logit_scale)} after the update (never above 100)
 * @param gradientNorm the global L2 norm of the gradients before clipping
 * @param learningRate the learning rate of this update
 */
public record StepResult(long step, float loss, float logitScale, double gradientNorm, double learningRate) {
}
