import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PieController,
  PointElement,
  Tooltip,
} from 'chart.js'
import { FunnelController, TrapezoidElement } from 'chartjs-chart-funnel'

// Loaded by `import()` from ReportChart only: the chart library never weighs on a page that
// draws no chart. Only the controllers and elements the report charts use are registered.
Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  FunnelController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PieController,
  PointElement,
  Tooltip,
  TrapezoidElement,
)

export { Chart }
