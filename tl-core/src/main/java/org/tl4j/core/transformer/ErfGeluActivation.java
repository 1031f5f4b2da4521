package org.tl4j.core.transformer;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The exact Gaussian error linear unit {@code gelu(x) = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))}
 * used by BERT (Hendrycks and Gimpel, "Gaussian Error Linear Units", arXiv:1606.08415).
 *
 * <p>DL4J's {@code Activation.GELU} is the sigmoid approximation {@code x * sigmoid(1.702 x)},
 * which differs by up to about 0.02 and would make pretrained BERT weights drift.
 */
public final class ErfGeluActivation extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** Creates the activation; it has no parameters. */
    public ErfGeluActivation() {
        // stateless
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        INDArray cdf = normalCdf(in);
        return in.muli(cdf);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        // d/dx [x Phi(x)] = Phi(x) + x phi(x), phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
        INDArray cdf = normalCdf(in);
        INDArray pdf = Transforms.exp(in.mul(in).muli(-0.5), false).muli(INV_SQRT_2PI);
        INDArray derivative = pdf.muli(in).addi(cdf);
        return new Pair<>(in.assign(derivative.muli(epsilon)), null);
    }

    private static INDArray normalCdf(INDArray x) {
        INDArray scaled = x.mul(INV_SQRT2);
        Nd4j.getExecutioner().exec(new Erf(scaled, scaled));
        return scaled.addi(1.0).muli(0.5);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErfGeluActivation;
    }

    @Override
    public int hashCode() {
        return ErfGeluActivation.class.hashCode();
    }

    @Override
    public String toString() {
        return "gelu(erf)";
    }
}
