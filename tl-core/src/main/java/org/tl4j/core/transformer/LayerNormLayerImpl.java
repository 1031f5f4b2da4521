package org.tl4j.core.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Run-time layer of {@link LayerNormLayer}: forward and native backward pass. */
final class LayerNormLayerImpl extends BaseLayer<LayerNormLayer> {

    private static final long serialVersionUID = 1L;

    LayerNormLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Normalised input and the per-row inverse standard deviation. */
    private record Normalized(INDArray xHat, INDArray invStd) {}

    private Normalized normalize(INDArray x) {
        INDArray centred = x.subColumnVector(x.mean(true, 1));
        INDArray variance = centred.mul(centred).mean(true, 1);
        INDArray invStd = Transforms.pow(variance.addi(layerConf().getEpsilon()), -0.5, false);
        return new Normalized(centred.muliColumnVector(invStd), invStd);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray gamma = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray beta = getParam(DefaultParamInitializer.BIAS_KEY);
        INDArray y = normalize(input).xHat().muliRowVector(gamma).addiRowVector(beta);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, y);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(
            INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Normalized n = normalize(input);
        INDArray gamma = getParam(DefaultParamInitializer.WEIGHT_KEY);

        // Parameter gradients, written into the views that the updater reads
        INDArray gammaGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        INDArray betaGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
        gammaGrad.assign(epsilon.mul(n.xHat()).sum(true, 0));
        betaGrad.assign(epsilon.sum(true, 0));
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, gammaGrad);
        gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, betaGrad);

        // dx = invStd * (g - mean(g) - xHat * mean(g * xHat)), g = dy * gamma
        INDArray g = epsilon.mulRowVector(gamma);
        INDArray meanG = g.mean(true, 1);
        INDArray meanGx = g.mul(n.xHat()).mean(true, 1);
        INDArray dx =
                g.subiColumnVector(meanG)
                        .subi(n.xHat().muliColumnVector(meanGx))
                        .muliColumnVector(n.invStd());
        return new Pair<>(gradient, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dx));
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return true;
    }
}
