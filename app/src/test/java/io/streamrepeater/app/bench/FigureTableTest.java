package io.streamrepeater.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FigureTableTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(FigureTable.median(List.of(9L, 1L, 5L))).isEqualTo(5.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(FigureTable.median(List.of(40L, 10L, 20L, 31L))).isEqualTo(25.5);
    }

    @Test
    void worstIsTheLargestValue() {
        assertThat(FigureTable.worst(List.of(3L, 700L, 12L))).isEqualTo(700);
    }

    @Test
    void noValuesHaveNoMedian() {
        assertThatThrownBy(() -> FigureTable.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowsShowMedianSlashWorstPerFigure() {
        FigureTable table = new FigureTable();
        table.add(new FigureTable.Row(
                "stall",
                "cached",
                "realtime",
                List.of(new SwitchSample(510, 0, 33, 400, 560), new SwitchSample(590, 2, 34, 900, 600)),
                34,
                0));
        assertThat(table.markdown())
                .contains(
                        "| stall | cached | realtime | 2 | 550 / 590 | 1 / 2 | 33.5 / 34 | 650 / 900 | 580 / 600 | 34 | 0 |");
    }
}
