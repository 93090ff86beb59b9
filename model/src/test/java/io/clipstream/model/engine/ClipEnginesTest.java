package io.clipstream.model.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClipEnginesTest {

    @AfterEach
    void clearDeviceChoice() {
        System.clearProperty(Engines.DEVICE_PROPERTY);
    }

    @Test
    void loadsPyTorchOfflineAndPicksTheCpuWithoutCuda() {
        assertEquals("PyTorch", Engines.pytorch().getEngineName());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        boolean cuda = Engines.pytorch().hasCapability(StandardCapabilities.CUDA);
        assertEquals(cuda ? Device.gpu() : Device.cpu(), Engines.defaultDevice());
        try (NDManager manager = Engines.newManager()) {
            assertEquals(Engines.defaultDevice(), manager.getDevice());
        }
    }

    @Test
    void deviceCanBeChosenAndAnUnusableGpuIsAClearError() {
        System.setProperty(Engines.DEVICE_PROPERTY, "cpu");
        assertEquals(Device.cpu(), Engines.defaultDevice());
        System.setProperty(Engines.DEVICE_PROPERTY, "tpu");
        assertThrows(IllegalArgumentException.class, Engines::defaultDevice);
        if (!Engines.pytorch().hasCapability(StandardCapabilities.CUDA)) {
            System.setProperty(Engines.DEVICE_PROPERTY, "gpu");
            IllegalStateException e = assertThrows(IllegalStateException.class, Engines::defaultDevice);
            assertTrue(e.getMessage().contains("no usable GPU"), e.getMessage());
        }
    }

    @Test
    void intraOpThreadsChangeAtRuntime() {
        int intra = Engines.intraOpThreads();
        int inter = Engines.interOpThreads();
        try {
            Engines.setThreads(1, inter);
            assertEquals(1, Engines.intraOpThreads());
            assertEquals("1", System.getProperty(Engines.INTRA_OP_THREADS_PROPERTY));
        } finally {
            Engines.setThreads(intra, inter);
        }
        assertEquals(intra, Engines.intraOpThreads());
        assertThrows(IllegalArgumentException.class, () -> Engines.setThreads(0, 1));
    }
}
