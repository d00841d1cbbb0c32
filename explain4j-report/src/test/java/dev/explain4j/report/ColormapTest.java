package dev.explain4j.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ColormapTest {

    @Test
    void divergingScaleRunsFromBlueThroughWhiteToRed() {
        assertThat(Colormap.DIVERGING.rgb(-1)).isEqualTo(0x0571b0);
        assertThat(Colormap.DIVERGING.rgb(0)).isEqualTo(0xffffff);
        assertThat(Colormap.DIVERGING.rgb(1)).isEqualTo(0xca0020);
        assertThat(Colormap.DIVERGING.rgb(-7)).isEqualTo(0x0571b0);
        assertThat(Colormap.DIVERGING.rgb(7)).isEqualTo(0xca0020);
        assertThat(Colormap.DIVERGING.rgb(Double.NaN)).isEqualTo(0xffffff);
        // halfway between white and 0xf4a582: (255+244)/2, (255+165)/2, (255+130)/2 rounded
        assertThat(Colormap.DIVERGING.rgb(0.25)).isEqualTo((250 << 16) | (210 << 8) | 193);
    }

    @Test
    void oneSignScalesAreTheHalvesOfTheDivergingOneAndMagnitudeHasItsOwnHue() {
        assertThat(Colormap.forSign(SignMode.ALL)).isSameAs(Colormap.DIVERGING);
        assertThat(Colormap.forSign(SignMode.POSITIVE).rgb(0)).isEqualTo(0xffffff);
        assertThat(Colormap.forSign(SignMode.POSITIVE).rgb(1)).isEqualTo(Colormap.DIVERGING.rgb(1));
        assertThat(Colormap.forSign(SignMode.NEGATIVE).rgb(1)).isEqualTo(Colormap.DIVERGING.rgb(-1));
        assertThat(Colormap.forSign(SignMode.ABSOLUTE_VALUE).rgb(0)).isEqualTo(0xffffff);
        assertThat(Colormap.forSign(SignMode.ABSOLUTE_VALUE).rgb(1)).isEqualTo(0x54278f);
        assertThat(Colormap.forSign(SignMode.ABSOLUTE_VALUE).min()).isZero();
        assertThat(Colormap.DIVERGING.min()).isEqualTo(-1);
    }

    @Test
    void signModesParseTheirCommandLineNames() {
        for (SignMode mode : SignMode.values()) {
            assertThat(SignMode.fromCliName(mode.cliName())).isSameAs(mode);
        }
        assertThat(SignMode.ABSOLUTE_VALUE.cliName()).isEqualTo("absolute_value");
    }
}
