package org.tl4j.core.transformer;

/**
 * A vertex configuration without settings: any two instances of the same class are equal, which is
 * what DL4J's configuration comparison and JSON round trip need of them.
 */
abstract class StatelessVertexConf extends BaseVertexConf {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}
