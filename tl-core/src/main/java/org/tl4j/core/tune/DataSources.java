package org.tl4j.core.tune;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;

/** Arbiter's class-plus-properties data sources, made and adapted to a {@link DataProvider}. */
final class DataSources {

    private DataSources() {}

    /** Instantiates {@code type} with its public no-argument constructor and configures it. */
    static DataSource create(Class<? extends DataSource> type, Properties properties) {
        try {
            DataSource source = type.getConstructor().newInstance();
            source.configure(properties);
            return source;
        } catch (NoSuchMethodException
                | InstantiationException
                | IllegalAccessException
                | InvocationTargetException e) {
            throw new IllegalArgumentException(
                    "data source "
                            + type.getName()
                            + " needs a public no-argument constructor: "
                            + e,
                    e);
        }
    }

    /** A provider that reads from a configured data source. */
    static DataProvider provider(DataSource source) {
        return new DataProvider() {
            private static final long serialVersionUID = 1L;

            @Override
            public Object trainData(Map<String, Object> dataParameters) {
                return source.trainData();
            }

            @Override
            public Object testData(Map<String, Object> dataParameters) {
                return source.testData();
            }

            @Override
            public Class<?> getDataType() {
                return source.getDataType();
            }
        };
    }
}
